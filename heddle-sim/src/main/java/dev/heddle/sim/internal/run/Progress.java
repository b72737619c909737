package dev.heddle.sim.internal.run;

import java.util.function.Supplier;

/**
 * Prints a progress line while a run goes: every second on a terminal (rewritten in place), every
 * five seconds otherwise. Runs on its own daemon thread until {@link #close()}.
 */
final class Progress implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  Progress(RunLog log, boolean terminal, Supplier<String> line) {
    long period = terminal ? 1000 : 5000;
    thread =
        Thread.ofPlatform()
            .daemon(true)
            .name("sim/progress")
            .unstarted(
                () -> {
                  while (running) {
                    try {
                      Thread.sleep(period);
                    } catch (InterruptedException e) {
                      return;
                    }
                    if (running) {
                      log.progress(line.get(), terminal);
                    }
                  }
                });
    thread.start();
  }

  /** Formats the progress line from counters any thread may read. */
  static String line(
      dev.heddle.sim.internal.loop.EventLoop loop,
      dev.heddle.sim.internal.history.History history,
      dev.heddle.sim.internal.net.Network net,
      dev.heddle.sim.internal.nemesis.Nemesis nemesis,
      dev.heddle.sim.SimConfig config) {
    int[] c = history.counts();
    double t = loop.now() / 1e9;
    long msgs = net.stats().sent();
    return String.format(
        "[%6.1f s] ops %d (ok %d, fail %d, info %d) | messages %d (%.0f/s) | faults: %s",
        t, c[0], c[1], c[2], c[3], msgs, t > 0 ? msgs / t : 0.0, nemesis.describeActive());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
