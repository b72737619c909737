package dev.heddle.ssh.internal;

import dev.heddle.HeddleException;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that a Java 25 (or later) runtime is at a given path on the remote host. */
public final class RemoteJava {
  private static final Pattern VERSION = Pattern.compile("version \"(\\d+)");

  private RemoteJava() {}

  /** Returns the feature version of {@code java} on the host, or throws saying what is wrong. */
  public static int check(SshTransport ssh, String java) throws IOException {
    String host = ssh.target().host();
    SshTransport.Result r = ssh.run(quote(java) + " -version 2>&1", Duration.ofSeconds(30));
    Matcher m = VERSION.matcher(r.out());
    if (r.status() != 0 || !m.find()) {
      throw new HeddleException(
          host,
          null,
          "ssh-no-java",
          "Java 25 is missing on "
              + ssh.target()
              + ": `"
              + java
              + " -version` "
              + (r.status() == 127 ? "found no such program" : "exited " + r.status())
              + ": "
              + r.out().strip()
              + ". Install a Java 25 runtime there, or point SshTarget.java(path) at one.");
    }
    int feature = Integer.parseInt(m.group(1));
    if (feature < 25) {
      throw new HeddleException(
          host,
          null,
          "ssh-old-java",
          "Java 25 is missing on "
              + ssh.target()
              + ": "
              + java
              + " is Java "
              + feature
              + ". Install a Java 25 runtime there, or point SshTarget.java(path) at one.");
    }
    return feature;
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
