package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.agent.internal.protocol.Frame;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        return new AgentHost(label, dir, upgradeIfOtherBuild(running, dir, label), null);
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

  /**
   * Upgrades the handover agent behind {@code running} in place when it runs another build of the
   * agent than this controller's (see {@link AgentLauncher#build()}): the agent hands its services
   * and sockets over to this build's agent program under the same pid, and nothing it runs is
   * stopped. Returns the connection to use: {@code running}, or one to the upgraded agent. The
   * system property {@code heddle.agent.upgrade=false} turns this off.
   *
   * @throws HeddleException when the agent refuses the hello (another controller is attached) or
   *     the upgraded agent does not accept connections within {@link #UPGRADE_PATIENCE}
   */
  static AgentConnection upgradeIfOtherBuild(AgentConnection running, Path dir, String label) {
    Map<String, Object> hello = quietHello(running, label);
    String theirs = String.valueOf(hello.get("build"));
    String mine = AgentLauncher.build();
    if (!"handover".equals(hello.get("mode"))
        || mine.equals(theirs)
        || !Boolean.parseBoolean(System.getProperty("heddle.agent.upgrade", "true"))) {
      return running;
    }
    Object pid = hello.get("pid");
    var _ =
        call(
            running,
            label,
            "upgrade",
            Map.of("command", AgentLauncher.command(dir, label, true).argv()));
    running.close();
    long deadline = System.nanoTime() + UPGRADE_PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      AgentConnection upgraded = AgentLauncher.connectIfLive(dir, label);
      if (upgraded != null && !isBuild(upgraded, label, mine)) {
        upgraded.close(); // still the old program (or not yet the new one): try again
        upgraded = null;
      }
      if (upgraded != null) {
        System.getLogger("dev.heddle")
            .log(
                System.Logger.Level.INFO,
                "upgraded the agent of "
                    + dir
                    + " in place (pid "
                    + pid
                    + " kept, build "
                    + theirs
                    + " → "
                    + mine
                    + "); its services kept running");
        return upgraded;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HeddleException(label, null, "INTERRUPTED", "interrupted upgrading the agent");
      }
    }
    throw new HeddleException(
        label,
        null,
        "AGENT_UPGRADE_FAILED",
        "The agent of "
            + dir
            + " (pid "
            + pid
            + ") was asked to upgrade in place to build "
            + mine
            + " but did not accept connections again within "
            + UPGRADE_PATIENCE.toSeconds()
            + " s. See "
            + dir.resolve("agent.log")
            + "; its services keep running either way.");
  }

  /** A hello that claims the controller seat but leaves the kept events for the next hello. */
  private static Map<String, Object> quietHello(AgentConnection c, String label) {
    return call(
        c,
        label,
        "hello",
        Map.of(
            "protocol",
            (long) Frame.VERSION,
            "host",
            label,
            "replay",
            false,
            "controller",
            AgentHost.whoAmI()));
  }

  /** Whether the agent behind c runs build {@code build} (a hello that does not replay events). */
  private static boolean isBuild(AgentConnection c, String label, String build) {
    try {
      return build.equals(String.valueOf(quietHello(c, label).get("build")));
    } catch (HeddleException e) {
      return false;
    }
  }

  private static final java.time.Duration UPGRADE_PATIENCE = java.time.Duration.ofSeconds(30);

  private static Map<String, Object> call(
      AgentConnection c, String label, String type, Map<String, Object> body) {
    try {
      return c.request(type, body).get(30, TimeUnit.SECONDS).body();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentError ae) {
        throw new HeddleException(label, null, ae.code(), String.valueOf(ae.getMessage()), ae);
      }
      throw new HeddleException(label, null, "AGENT_FAILURE", String.valueOf(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new HeddleException(
          label, null, "AGENT_TIMEOUT", "The agent did not answer '" + type + "' within 30 s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeddleException(label, null, "INTERRUPTED", "interrupted waiting for " + type);
    }
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
