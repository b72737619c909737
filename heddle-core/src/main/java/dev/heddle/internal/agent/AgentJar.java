package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.agent.AgentMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The agent as one jar, to upload to a remote host: the heddle-agent jar on this classpath, or,
 * when the agent is a class directory (a build tree), a jar made from it with fixed timestamps and
 * sorted entries, so the same classes always give the same bytes and the same sha256. The agent has
 * no dependencies, so this one file is all a host needs besides Java 25. Immutable.
 */
public final class AgentJar {
  /** The class to run from the jar. */
  public static final String MAIN_CLASS = AgentMain.class.getName();

  private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01, the zip format's epoch
  private final byte[] bytes;
  private final String sha256;

  private AgentJar(byte[] bytes) {
    this.bytes = bytes;
    this.sha256 = sha256(bytes);
  }

  /** The jar's size in bytes. */
  public long size() {
    return bytes.length;
  }

  /** The jar's sha256, lowercase hex: the name it is stored under on a host. */
  public String sha256() {
    return sha256;
  }

  /** Writes the jar's content to {@code out}. */
  public void writeTo(java.io.OutputStream out) throws IOException {
    out.write(bytes);
  }

  /** The agent jar of this JVM's classpath (see {@link AgentLauncher#agentClasspath()}). */
  public static AgentJar current() {
    Path source = Path.of(AgentLauncher.agentClasspath());
    try {
      byte[] bytes = Files.isDirectory(source) ? jarOf(source) : Files.readAllBytes(source);
      return new AgentJar(bytes);
    } catch (IOException e) {
      throw new HeddleException(
          "local",
          null,
          "AGENT_MISSING",
          "Cannot read the heddle-agent classes at " + source + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The JVM flags of an agent in {@code --stdio} mode: the usual ones, plus the JVM's own messages
   * (unified logging, whose default output is stdout, and VM output) sent to stderr, so that
   * nothing but frames ever reaches stdout.
   */
  public static List<String> stdioJvmFlags() {
    List<String> flags = new java.util.ArrayList<>(AgentLauncher.jvmFlags());
    flags.addAll(
        0, List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr"));
    return flags;
  }

  private static byte[] jarOf(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
    manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !dir.relativize(f).toString().startsWith("META-INF/MANIFEST.MF"))
              .sorted()
              .toList();
    }
    try (JarOutputStream jar = new JarOutputStream(out)) {
      JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
      m.setTime(FIXED_TIME);
      jar.putNextEntry(m);
      manifest.write(jar);
      jar.closeEntry();
      for (Path f : files) {
        JarEntry e = new JarEntry(dir.relativize(f).toString().replace('\\', '/'));
        e.setTime(FIXED_TIME);
        jar.putNextEntry(e);
        Files.copy(f, jar);
        jar.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
