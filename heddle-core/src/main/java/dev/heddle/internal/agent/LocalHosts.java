package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Starts local agents; keeps the one shared by {@link Host#local()}. */
public final class LocalHosts {
  private static @Nullable AgentHost shared;

  /** How long {@link #startOrAttach} waits for a predecessor's connection to be noticed gone. */
  private static final java.time.Duration ATTACH_PATIENCE = java.time.Duration.ofSeconds(3);

  private LocalHosts() {}

  /** The JVM's shared local host, started on first use. */
  public static synchronized Host shared() {
    AgentHost h = shared;
    if (h == null || h.connection().closed().isDone()) {
      h = start(defaultStateDir(), "local");
      shared = h;
    }
    return h;
  }

  /** A new agent for {@code stateDir}; the caller closes the returned host. */
  public static AgentHost start(Path stateDir, String label) {
    AgentLauncher.Launched launched = AgentLauncher.launch(stateDir.toAbsolutePath(), label, false);
    AgentHost host =
        new AgentHost(label, stateDir.toAbsolutePath(), launched.connection(), launched.process());
    launched.whenReady().run();
    return host;
  }

  /**
   * The handover-mode agent of {@code stateDir}: the one already running there (left by an earlier
   * program), or a new one; the caller closes the returned host.
   */
  public static AgentHost startOrAttach(Path stateDir, String label) {
    Path dir = stateDir.toAbsolutePath();
    // A program started right after its predecessor was killed: the agent may not have seen that
    // connection end yet, so a refusal for that reason is retried for a moment.
    long deadline = System.nanoTime() + ATTACH_PATIENCE.toNanos();
    while (true) {
      AgentConnection running = AgentLauncher.connectIfLive(dir, label);
      if (running == null) {
        break;
      }
      try {
        return new AgentHost(label, dir, running, null);
      } catch (HeddleException e) {
        running.close();
        if (!"CONTROLLER_ATTACHED".equals(e.code()) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HeddleException(label, null, "INTERRUPTED", "interrupted attaching to " + dir);
      }
    }
    AgentLauncher.Launched launched = AgentLauncher.launch(dir, label, true);
    AgentHost host = new AgentHost(label, dir, launched.connection(), launched.process());
    launched.whenReady().run();
    return host;
  }

  static synchronized void forget(AgentHost host) {
    if (shared == host) {
      shared = null;
    }
  }

  private static Path defaultStateDir() {
    String configured = System.getenv("HEDDLE_STATE_DIR");
    Path base =
        configured != null
            ? Path.of(configured)
            : Path.of(
                System.getProperty("java.io.tmpdir"), "heddle-" + System.getProperty("user.name"));
    return base.resolve("local-" + ProcessHandle.current().pid());
  }
}
