package dev.heddle.agent;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code heddle-agent-bridge --state-dir DIR [--host-label NAME]}: how a controller reaches a
 * handover-mode agent over SSH. It connects to the agent serving DIR (its unix socket), starting
 * one in handover mode first when none accepts there, and then copies bytes between its
 * stdin/stdout (the SSH exec channel) and that socket until either side ends. The agent, not the
 * bridge, owns the services: when the SSH connection drops, the bridge's stdin ends, it closes the
 * socket, and the agent keeps everything for the next controller, which runs another bridge. Exit
 * codes: 0 when either side ended, 2 for bad arguments, 1 when no agent could be reached (the
 * reason on stderr).
 */
public final class AgentBridge {
  private static final long START_TIMEOUT_MS = 20_000;

  private AgentBridge() {}

  public static void main(String[] args) {
    Path stateDir = null;
    String label = "remote";
    List<String> mode = new ArrayList<>(List.of("--mode", "handover"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--state-dir" -> stateDir = Path.of(args[i + 1]).toAbsolutePath();
        case "--host-label" -> label = args[i + 1];
        case "--mode" -> {
          if (!args[i + 1].equals("handover") && !args[i + 1].equals("session")) {
            usage("--mode is session or handover, got '" + args[i + 1] + "'");
          }
          mode.set(1, args[i + 1]);
        }
        case "--grace" -> {
          if (!args[i + 1].matches("[0-9]{1,12}")) {
            usage("--grace needs a number of milliseconds, 0 or more, got '" + args[i + 1] + "'");
          }
          mode.addAll(List.of("--grace", args[i + 1]));
        }
        default -> usage("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) {
      usage("option " + args[args.length - 1] + " needs a value");
    }
    if (stateDir == null) {
      usage("--state-dir is required");
      return;
    }
    if (mode.get(1).equals("handover") && mode.contains("--grace")) {
      usage("--grace is for --mode session: a handover agent keeps its services anyway");
    }
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    System.setOut(System.err); // fd 1 carries the agent's frames only
    try {
      SocketChannel agent = connectOrStart(stateDir, label, mode);
      pump(new FileInputStream(FileDescriptor.in), out, agent);
      System.exit(0);
    } catch (IOException | InterruptedException e) {
      System.err.println("heddle-agent-bridge: " + e.getMessage());
      System.exit(1);
    }
  }

  /** The agent of stateDir, started in handover mode when none accepts there. */
  static SocketChannel connectOrStart(Path stateDir, String label, List<String> mode)
      throws IOException, InterruptedException {
    Path socket = stateDir.resolve("agent.sock");
    SocketChannel ch = connect(socket);
    if (ch != null) {
      return ch;
    }
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create the agent's state directory " + stateDir + " (" + e + ")", e);
    }
    Path log = stateDir.resolve("agent.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Xmx96m",
            "-cp",
            System.getProperty("java.class.path"),
            AgentMain.class.getName(),
            "--state-dir",
            stateDir.toString(),
            "--host-label",
            label));
    cmd.addAll(mode);
    // The agent makes itself a session leader: it outlives this bridge and the SSH session.
    Process started = dev.heddle.agent.internal.server.BridgeAgentLauncher.start(cmd, log);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      ch = connect(socket);
      if (ch != null) {
        return ch;
      }
      // exit 3: another bridge started the agent of this directory first; connect to that one
      if (!started.isAlive() && started.exitValue() != 3) {
        throw new IOException(
            "the agent for "
                + stateDir
                + " exited with code "
                + started.exitValue()
                + " before it accepted connections; see "
                + log);
      }
      Thread.sleep(10);
    }
    throw new IOException(
        "the agent for " + stateDir + " did not accept connections within 20 s; see " + log);
  }

  private static @Nullable SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    try {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
      } catch (IOException e) {
        ch.close();
        return null; // left by a dead agent, or the agent is between programs (upgrading)
      }
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Copies in → agent on a thread of its own and agent → out on this one; returns once either side
   * ended, with the socket closed (the agent then sees its controller gone).
   */
  static void pump(InputStream in, OutputStream out, SocketChannel agent)
      throws InterruptedException {
    Thread up =
        Thread.ofPlatform()
            .name("bridge/up")
            .daemon(true)
            .start(
                () -> {
                  byte[] buf = new byte[64 * 1024];
                  try {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                      ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                      while (b.hasRemaining()) {
                        agent.write(b);
                      }
                    }
                  } catch (IOException e) {
                    // either side broke: the bridge ends
                  }
                  close(agent);
                });
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (agent.read(buf.clear()) >= 0) {
        out.write(buf.array(), 0, buf.position());
        out.flush();
      }
    } catch (IOException e) {
      // either side broke: the bridge ends
    }
    close(agent);
    up.join(100);
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static void usage(String problem) {
    System.err.println(
        "heddle-agent-bridge: "
            + problem
            + "\nusage: heddle-agent-bridge --state-dir DIR [--host-label NAME]"
            + " [--mode handover|session] [--grace MILLISECONDS]");
    System.exit(2);
  }
}
