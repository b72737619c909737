package dev.heddle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A process a host's agent started: one incarnation of a service. Its identity is {@code pid +
 * start time (+ pidfd inode)}, never a pid alone. Thread-safe.
 */
public interface HostProcess {

  /** The agent's id of this incarnation: {@code service#incarnation}, e.g. {@code orderd#3}. */
  String processId();

  String service();

  /** 1 for the first process of a service on this host, then 2, 3, … */
  int incarnation();

  int pid();

  /** Start time in clock ticks since boot (/proc/PID/stat field 22): part of the identity. */
  long startTime();

  /** The host it runs on. */
  Host host();

  /** The directory holding this incarnation's stdout.log and stderr.log, on its host. */
  Path logDir();

  /** Completes when the process has exited (reaped by the agent). Never blocks. */
  CompletableFuture<ExitStatus> onExit();

  /** Waits for the exit. Blocks. */
  default ExitStatus awaitExit() throws InterruptedException {
    try {
      return onExit().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new HeddleException(
          host().name(), service(), "CONNECTION_LOST", String.valueOf(e.getCause()), e);
    }
  }

  /** Waits at most {@code timeout} for the exit; empty when it is still running. Blocks. */
  Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException;

  /** Whether it is still running, as far as the agent has reported. Never blocks. */
  default boolean isAlive() {
    return !onExit().isDone();
  }

  /**
   * Stops its whole tree: the stop signal, the grace period, then SIGKILL to whatever is left
   * (cgroup or process group). Blocks until everything is gone.
   */
  StopResult stop();

  /**
   * Whether a closing scope leaves this process running instead of stopping it: true for a process
   * adopted from an earlier program ({@link Host#adopt}) until this program commits its takeover
   * with {@link Host#stopUnadopted()}, so that an upgrade that fails while it starts leaves the
   * earlier system serving.
   */
  default boolean outlivesScope() {
    return false;
  }

  /**
   * Frees the spare the host prepared for this service's next incarnation ({@link
   * ProcessSpec.Builder#keepSpare}); returns once it is gone. A no-op when there is none.
   */
  void dropSpare();

  /** {@link #stop()} with another grace period. */
  StopResult stop(Duration grace);

  /** Sends {@code signal} to the main process only. */
  void signal(Signal signal);

  /** The last {@code lines} lines of one of its logs (rotated files included). Blocks. */
  List<String> tail(LogStream stream, int lines);

  /**
   * Calls {@code sink} with each new line of a log, from now on, until the returned handle is
   * closed. Lines arrive on a Heddle thread; keep the sink short.
   */
  Following follow(LogStream stream, Consumer<String> sink);

  /** A log being followed; close it to stop. */
  interface Following extends AutoCloseable {
    @Override
    void close();
  }

  /** What {@link #stop()} did. */
  record StopResult(ExitStatus status, boolean escalated, Optional<String> warning) {}
}
