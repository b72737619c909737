package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.agent.AgentMain;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Starts a local agent JVM and connects to it. The agent is not a service, so a JDK {@link
 * ProcessBuilder} is fine here: its output goes to {@code agent.log} in the state directory (never
 * a pipe) and it makes itself a session leader, so the controller's terminal signals never reach
 * it.
 */
public final class AgentLauncher {
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final int MAX_SOCKET_PATH = 107;

  private AgentLauncher() {}

  /**
   * A started agent: its process, the connection to it, and what to run once its hello was answered
   * (training the AOT cache when there was none: not while the agent starts).
   */
  public record Launched(Process process, AgentConnection connection, Runnable whenReady) {}

  /**
   * A connection to the agent already serving {@code stateDir}, or null when none accepts there.
   */
  static @Nullable AgentConnection connectIfLive(Path stateDir, String label) {
    Path socket = stateDir.resolve("agent.sock");
    if (!Files.exists(socket)) {
      return null;
    }
    try {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        ch.close();
        return null; // a socket file left by a dead agent
      }
      return new AgentConnection(
          label, Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Starts an agent for {@code stateDir} (in handover mode when asked) and connects. Blocks until
   * connected or failed.
   */
  public static Launched launch(Path stateDir, String label, boolean handover) {
    Path socket = stateDir.resolve("agent.sock");
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new HeddleException(
          label,
          null,
          "AGENT_START_FAILED",
          "The agent's socket path "
              + socket
              + " is longer than the "
              + MAX_SOCKET_PATH
              + " bytes a unix socket allows. Use a shorter state directory.");
    }
    refuseIfLive(socket, stateDir, label);
    Path log = stateDir.resolve("agent.log");
    AgentCommand command = command(stateDir, label, handover);
    List<String> cmd = command.argv();
    Runnable whenReady = command.whenReady();
    Process process;
    try {
      Files.createDirectories(stateDir);
      process =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new HeddleException(
          label,
          null,
          "AGENT_START_FAILED",
          "Cannot start the agent for " + stateDir + ": " + e.getMessage() + ". Command: " + cmd,
          e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new HeddleException(
            label,
            null,
            "AGENT_START_FAILED",
            "The agent for "
                + stateDir
                + " exited with code "
                + process.exitValue()
                + " before it accepted connections.\nCommand: "
                + cmd
                + "\nIts log ("
                + log
                + "):\n"
                + tail(log));
      }
      if (Files.exists(socket)) {
        try {
          SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(socket));
          var conn =
              new AgentConnection(
                  label, Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
          return new Launched(process, conn, whenReady);
        } catch (IOException notYet) {
          // the file exists but nobody accepts yet
        }
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new HeddleException(
            label,
            null,
            "AGENT_START_FAILED",
            "The agent for "
                + stateDir
                + " did not accept connections within "
                + START_TIMEOUT
                + ".\nCommand: "
                + cmd
                + "\nIts log:\n"
                + tail(log));
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new HeddleException(
            label, null, "INTERRUPTED", "interrupted while starting the agent");
      }
    }
  }

  /**
   * An agent's command line, and what to run once it answered its hello.
   *
   * @param argv the program and its arguments
   * @param whenReady trains the AOT cache when there was none, or does nothing
   */
  public record AgentCommand(List<String> argv, Runnable whenReady) {}

  /**
   * The command line of an agent for {@code stateDir}: this JVM's java, the agent's JVM flags (and
   * its AOT cache when there is one), its classes, and its options; in handover mode also {@code
   * --build} with {@link #build()}, so that a later controller can tell whether the agent it
   * attaches to is its own build.
   */
  public static AgentCommand command(Path stateDir, String label, boolean handover) {
    List<String> jvmFlags = jvmFlags();
    String java = javaBinary();
    String classpath = agentClasspath();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmFlags);
    List<String> aot = AotCacheLauncher.flags(java, jvmFlags, classpath);
    cmd.addAll(aot);
    Runnable whenReady =
        aot.isEmpty() ? () -> AotCacheLauncher.trainIfMissing(java, jvmFlags, classpath) : () -> {};
    cmd.addAll(
        List.of(
            "-cp",
            classpath,
            AgentMain.class.getName(),
            "--state-dir",
            stateDir.toString(),
            "--host-label",
            label,
            "--containment",
            System.getProperty("heddle.agent.containment", "auto"),
            "--mode",
            handover ? "handover" : "session"));
    if (handover) {
      cmd.addAll(List.of("--build", build()));
    }
    return new AgentCommand(List.copyOf(cmd), whenReady);
  }

  /**
   * This controller's agent build: the first 16 hex digits of the sha256 of the agent's classes (as
   * {@link AgentJar} packs them), so two builds with the same classes are the same build.
   */
  public static String build() {
    return AgentJar.current().sha256().substring(0, 16);
  }

  /** The agent JVM's flags: small fixed defaults, then {@link #extraJvmArgs()}. */
  public static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    flags.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Xmx96m",
            "-XX:CICompilerCount=1"));
    flags.addAll(extraJvmArgs());
    return flags;
  }

  /** A state directory whose agent still accepts connections belongs to that agent. */
  private static void refuseIfLive(Path socket, Path stateDir, String label) {
    if (!Files.exists(socket)) {
      return;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException stale) {
      return; // a socket file left by a dead agent: the new agent replaces it
    }
    String holder;
    try {
      holder = Files.readString(stateDir.resolve("agent.lock")).strip();
    } catch (IOException e) {
      holder = "unknown";
    }
    throw new HeddleException(
        label,
        null,
        "STATE_DIR_BUSY",
        "Another agent (pid "
            + holder
            + ") already owns the state directory "
            + stateDir
            + "; a second agent for it is refused. Stop that agent, or use another state"
            + " directory.");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "    "
          + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "    (no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Extra JVM options for the agent, from the system property {@code heddle.agent.jvmArgs}
   * (whitespace-separated; added after the defaults, so they win): for benchmarks and diagnosis.
   */
  static List<String> extraJvmArgs() {
    String extra = System.getProperty("heddle.agent.jvmArgs", "").strip();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  /** The java of this JVM: the agent runs on the same JDK as its controller. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The jar or class directory holding the agent (it has no dependencies of its own), or the system
   * property {@code heddle.agent.classpath} when set.
   */
  public static String agentClasspath() {
    String override = System.getProperty("heddle.agent.classpath");
    if (override != null) {
      return override;
    }
    try {
      var source = AgentMain.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        throw new IllegalStateException("no code source for " + AgentMain.class);
      }
      return Path.of(source.getLocation().toURI()).toString();
    } catch (URISyntaxException | IllegalStateException e) {
      throw new HeddleException(
          "local",
          null,
          "AGENT_MISSING",
          "Cannot find the heddle-agent classes on the classpath ("
              + e.getMessage()
              + "). Add the dev.heddle:heddle-agent dependency.");
    }
  }
}
