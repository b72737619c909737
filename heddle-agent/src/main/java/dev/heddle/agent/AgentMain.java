package dev.heddle.agent;

import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.server.Agent;
import dev.heddle.agent.internal.server.AgentLog;
import dev.heddle.agent.internal.server.AgentOptions;
import dev.heddle.agent.internal.server.StateDirLock;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-host agent's entry point: {@code heddle-agent --state-dir DIR [--host-label NAME]
 * [--attach-timeout SECONDS] [--containment auto|process-group] [--mode session|handover] [--stdio]
 * [--build ID] [--restore FILE]}. {@code --restore} is given by the agent itself when it upgrades
 * in place: the new program takes over the services and sockets handed over in FILE. With {@code
 * --stdio} (session mode only) the agent serves exactly one controller over its stdin and stdout
 * (an SSH exec channel) instead of a unix socket, and stops every service and exits when stdin
 * ends; its own messages go to stderr, as always, and anything printed to {@code System.out} goes
 * there too. Exit codes: 0 after a clean shutdown, 2 for bad arguments, 3 when another agent
 * already owns the state directory, 1 for anything else.
 */
public final class AgentMain {
  private static final AtomicBoolean signalled = new AtomicBoolean();

  private AgentMain() {}

  public static void main(String[] args) {
    Path stateDir = null;
    String label = "local";
    Duration attach = Duration.ofSeconds(60);
    boolean cgroups = true;
    boolean handover = false;
    boolean stdio = false;
    String build = "unknown";
    Path restore = null;
    Duration grace = Duration.ZERO;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--stdio")) {
        stdio = true;
        continue;
      }
      if (i + 1 >= args.length) {
        usage("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--state-dir" -> stateDir = Path.of(v).toAbsolutePath();
        case "--host-label" -> label = v;
        case "--build" -> build = v;
        case "--restore" -> restore = Path.of(v).toAbsolutePath();
        case "--grace" -> {
          try {
            grace = Duration.ofMillis(Long.parseLong(v));
          } catch (NumberFormatException e) {
            usage("--grace needs a number of milliseconds, got '" + v + "'");
          }
          if (grace.isNegative()) {
            usage("--grace must not be negative, got " + v);
          }
        }
        case "--attach-timeout" -> {
          try {
            attach = Duration.ofSeconds(Long.parseLong(v));
          } catch (NumberFormatException e) {
            usage("--attach-timeout needs a number of seconds, got '" + v + "'");
          }
        }
        case "--containment" -> {
          switch (v) {
            case "auto" -> cgroups = true;
            case "process-group" -> cgroups = false;
            default -> usage("--containment is auto or process-group, got '" + v + "'");
          }
        }
        case "--mode" -> {
          switch (v) {
            case "session" -> handover = false;
            case "handover" -> handover = true;
            default -> usage("--mode is session or handover, got '" + v + "'");
          }
        }
        default -> usage("unknown option " + a);
      }
    }
    if (stdio && handover) {
      usage(
          "--stdio is session mode only: a handover agent outlives its controller, so it serves"
              + " its unix socket (reconnecting over SSH is not there yet)");
    }
    if (stateDir == null) {
      usage("--state-dir is required");
      return;
    }
    if (grace.isPositive() && (handover || stdio)) {
      usage(
          "--grace is for session mode over a unix socket: a handover agent keeps its services"
              + " anyway, and a --stdio agent cannot be reached again");
    }
    if (restore != null && !handover) {
      usage("--restore is for an upgrade in place, which is handover mode only (--mode handover)");
    }
    // Linking the FFM calls takes most of start-up (~150 ms): another thread does it while this one
    // takes the lock and binds the socket (Agent.start then waits for the calls it needs).
    Thread.ofPlatform().name("agent/link").daemon(true).start(Processes::linkStartUpCalls);
    // In stdio mode fd 1 carries frames only: keep it for the protocol, send System.out to stderr.
    OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
    if (stdio) {
      System.setOut(System.err);
    }
    try {
      StateDirLock lock = StateDirLock.acquire(stateDir);
      if (stdio) {
        // No launcher redirects a stdio agent's stderr to a file: keep a copy in the state
        // directory, like a local agent's agent.log, for after the connection is gone.
        teeStderrTo(stateDir.resolve("agent.log"));
      }
      try {
        Agent agent =
            Agent.start(
                new AgentOptions(
                    stateDir, label, attach, cgroups, handover, stdio, build, grace, restore));
        if (restore != null) {
          agent.restoreFrom(restore);
        }
        if (stdio) {
          agent.serveStdio(new FileInputStream(FileDescriptor.in), protocolOut);
        }
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      signalled.set(true);
                      agent.shutdown("signal");
                    },
                    "agent/shutdown-hook"));
        agent.run();
      } finally {
        lock.close();
      }
      // Cleanup is done (services stopped, state file and socket removed, lock released): end
      // without HotSpot's exit protocol, which waits up to 300 ms for threads blocked in native.
      if (signalled.get() || Boolean.getBoolean("heddle.agent.training")) {
        // The JVM is already exiting (with the signal's status), or it is the run that trains the
        // agent's AOT cache, which the JVM writes in its exit protocol: let that run.
        System.exit(0);
      }
      System.out.flush();
      System.err.flush();
      Processes.exitNow(0);
    } catch (StateDirLock.BusyException e) {
      System.err.println("heddle-agent: " + e.getMessage());
      System.exit(3);
    } catch (Exception e) {
      AgentLog.warn("agent failed", e);
      System.exit(1);
    }
  }

  private static void teeStderrTo(Path log) throws java.io.IOException {
    OutputStream file = new FileOutputStream(log.toFile(), true);
    PrintStream stderr = System.err;
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws java.io.IOException {
            stderr.write(b, off, len);
            file.write(b, off, len);
          }

          @Override
          public void flush() throws java.io.IOException {
            stderr.flush();
            file.flush();
          }
        };
    PrintStream tee = new PrintStream(both, true, java.nio.charset.StandardCharsets.UTF_8);
    System.setErr(tee);
    System.setOut(tee);
  }

  private static void usage(String problem) {
    System.err.println(
        "heddle-agent: "
            + problem
            + "\nusage: heddle-agent --state-dir DIR [--host-label NAME] [--attach-timeout SECONDS]"
            + " [--containment auto|process-group] [--mode session|handover] [--stdio]"
            + " [--build ID] [--grace MILLISECONDS] [--restore FILE]");
    System.exit(2);
  }
}
