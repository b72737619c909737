package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Cgroups;
import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.os.RawExit;
import dev.heddle.agent.internal.os.Signals;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Stops the whole tree of one incarnation: the stop signal, the grace period, then SIGKILL to
 * everything left — via {@code cgroup.kill} when the process has a cgroup, otherwise to its process
 * group plus a sweep of its session. Blocks; call it on a virtual thread.
 */
final class Stopper {
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private final @Nullable Cgroups cgroups;
  private final String host;

  Stopper(@Nullable Cgroups cgroups, String host) {
    this.cgroups = cgroups;
    this.host = host;
  }

  /** What a stop did: the exit status of the main process, and whether SIGKILL was needed. */
  record Outcome(@Nullable RawExit status, boolean escalated, @Nullable String warning) {}

  Outcome stop(ManagedProcess p, int signal, Duration grace, Consumer<String> warn)
      throws InterruptedException {
    p.stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    if (!p.exit.isDone() || !treeEmpty(p)) {
      signalTree(p, signal);
    }
    RawExit status = await(p, deadline);
    boolean empty = awaitTreeEmpty(p, deadline);
    String warning = null;
    if (status == null || !empty) {
      warning =
          "Service '"
              + p.service
              + "' ("
              + p.processId
              + ", pid "
              + p.pid()
              + ") on host '"
              + host
              + "' did not "
              + (status == null ? "exit" : "stop all its processes")
              + " within "
              + grace
              + " of "
              + Signals.name(signal)
              + "; killed its whole tree with SIGKILL. If it needs longer to shut down, raise its"
              + " stop grace period (stopGraceMs in the spawn request; the service's stopGrace in"
              + " the API).";
      warn.accept(warning);
      killTree(p);
      status = await(p, System.nanoTime() + KILL_WAIT.toNanos());
      awaitTreeEmpty(p, System.nanoTime() + KILL_WAIT.toNanos());
    }
    removeCgroup(p);
    return new Outcome(status, warning != null, warning);
  }

  /** After the main process exited on its own: kill what it left behind, so nothing leaks. */
  int sweepLeftovers(ManagedProcess p) {
    int left = members(p).size();
    if (left > 0) {
      killTree(p);
      try {
        awaitTreeEmpty(p, System.nanoTime() + KILL_WAIT.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    removeCgroup(p);
    return left;
  }

  private void signalTree(ManagedProcess p, int signal) {
    if (p.cgroup != null && cgroups != null) {
      for (int pid : cgroups.procs(p.cgroup)) {
        Processes.kill(pid, signal);
      }
    } else {
      // Each service leads its own session and process group (posix_spawn SETSID): pgid == pid.
      Processes.killGroup(p.pid(), signal);
    }
  }

  private void killTree(ManagedProcess p) {
    if (p.cgroup != null && cgroups != null) {
      try {
        cgroups.kill(p.cgroup);
        return;
      } catch (IOException e) {
        AgentLog.warn("cgroup.kill failed for " + p.cgroup + "; falling back to signals", e);
      }
    }
    Processes.killGroup(p.pid(), Signals.KILL);
    for (int pid : members(p)) {
      Processes.kill(pid, Signals.KILL);
    }
  }

  /** Live processes of this incarnation's tree, the main process included while it lives. */
  private List<Integer> members(ManagedProcess p) {
    if (p.cgroup != null && cgroups != null) {
      return cgroups.procs(p.cgroup).stream().filter(Processes::alive).toList();
    }
    return Processes.sessionMembers(p.pid()).stream().filter(Processes::alive).toList();
  }

  private boolean treeEmpty(ManagedProcess p) {
    return members(p).isEmpty();
  }

  private boolean awaitTreeEmpty(ManagedProcess p, long deadline) throws InterruptedException {
    if (p.cgroup != null && cgroups != null) {
      long left = deadline - System.nanoTime();
      return cgroups.awaitEmpty(p.cgroup, Duration.ofNanos(Math.max(left, 0)));
    }
    while (!treeEmpty(p)) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  private static @Nullable RawExit await(ManagedProcess p, long deadline)
      throws InterruptedException {
    try {
      return p.exit.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      AgentLog.warn("waiting for " + p.processId + " failed", e);
      return null;
    }
  }

  private void removeCgroup(ManagedProcess p) {
    if (p.cgroup != null && cgroups != null) {
      cgroups.remove(p.cgroup);
    }
  }
}
