package dev.heddle.sim;

import dev.heddle.sim.internal.run.TestRun;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The front door of the simulator: runs one Maelstrom-style test of a node program and checks it.
 *
 * <p>A run starts {@link SimConfig#nodes()} processes of the configured command, sends them {@code
 * init}, drives the workload through simulated clients for the time limit while the nemesis injects
 * faults, then stops every process, checks the history and writes the run's files under {@link
 * SimConfig#store()}. It blocks until all of that is done; every process and thread it started is
 * gone when it returns. Runs are independent, so several may run at once from different threads.
 */
public final class Simulator {
  private Simulator() {}

  /**
   * Runs one test and blocks until it is checked and written.
   *
   * @param config what to run
   * @param console where progress and the summary go (for example {@code System.err})
   * @return the verdict and where the files are
   * @throws IOException if the store directory or a node program cannot be used
   * @throws InterruptedException if the calling thread is interrupted; the nodes are stopped first
   */
  public static SimOutcome run(SimConfig config, PrintStream console)
      throws IOException, InterruptedException {
    return new TestRun(config, console).run();
  }
}
