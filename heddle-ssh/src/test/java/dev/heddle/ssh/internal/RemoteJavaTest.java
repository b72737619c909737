package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.ssh.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The remote Java check on h1 (the fake hosts share this machine's filesystem and its JDK). */
class RemoteJavaTest {
  private static SshTransport ssh;

  @BeforeAll
  static void connect() throws Exception {
    TestHosts.up();
    ssh =
        SshTransport.open(
            SshTarget.of("root@" + TestHosts.address(1))
                .identity(TestHosts.DIR.resolve("id_ed25519"))
                .knownHosts(TestHosts.DIR.resolve("known_hosts"))
                .connectTimeout(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void close() {
    ssh.close();
  }

  @Test
  void findsJava25() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertTrue(RemoteJava.check(ssh, java) >= 25);
  }

  @Test
  void saysClearlyWhenJavaIsMissing() {
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> RemoteJava.check(ssh, "/opt/no-such-jdk/bin/java"));
    assertEquals("ssh-no-java", e.code());
    assertTrue(e.getMessage().contains("Java 25 is missing on root@10.77.0.1"), e.getMessage());
    assertTrue(e.getMessage().contains("found no such program"), e.getMessage());
  }
}
