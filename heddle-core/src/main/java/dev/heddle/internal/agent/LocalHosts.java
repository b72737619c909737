package dev.heddle.internal.agent;

import dev.heddle.Host;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Starts local agents; keeps the one shared by {@link Host#local()}. */
public final class LocalHosts {
  private static @Nullable AgentHost shared;

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
    AgentLauncher.Launched launched = AgentLauncher.launch(stateDir.toAbsolutePath(), label);
    AgentHost host =
        new AgentHost(label, stateDir.toAbsolutePath(), launched.connection(), launched.process());
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
