package dev.heddle.sim;

import dev.heddle.sim.internal.cli.SimCommand;

/** The command line of the simulator: {@code heddle sim test -w WORKLOAD --bin FILE ...}. */
public final class SimMain {
  private SimMain() {}

  /**
   * Runs the command line and exits with its code: 0 valid, 1 invalid, 2 unknown, 254 for a bad
   * command line and 255 when the simulator itself failed.
   *
   * @param args the command line arguments
   */
  public static void main(String[] args) {
    System.exit(SimCommand.execute(args, System.out, System.err));
  }
}
