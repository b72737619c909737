package dev.heddle.sim.internal.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sim} command with its subcommands; {@link #execute} is the CLI's entry. */
@Command(
    name = "heddle sim",
    mixinStandardHelpOptions = true,
    version = "heddle sim 0.1.0",
    description =
        "A Maelstrom-compatible simulator: runs node programs over a simulated, faulty network and checks them.",
    subcommands = {TestCommand.class, CheckCommand.class})
public final class SimCommand implements Runnable {
  /** Exit code for a bad command line (as Jepsen's CLI). */
  public static final int USAGE = 254;

  /** Exit code when the simulator itself failed. */
  public static final int CRASH = 255;

  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec; // set by picocli before run()

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        Objects.requireNonNull(spec, "picocli injects the spec").commandLine(),
        "Missing command: try 'heddle sim test -w echo --bin ./echo.py'.");
  }

  /**
   * Runs a command line; returns the exit code (0 valid, 1 invalid, 2 unknown, 254, 255; for {@code
   * check}, 2 also for bad input).
   */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new SimCommand());
    cl.setOut(new PrintWriter(out, true, out.charset()));
    cl.setErr(new PrintWriter(err, true, err.charset()));
    cl.setUnmatchedOptionsArePositionalParams(false);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          if (ex.getCommandLine().getCommandSpec().userObject() instanceof CheckCommand) {
            err.println("heddle sim check: " + ex.getMessage());
            err.println(
                "Usage: heddle sim check [-w WORKLOAD] [--json] FILE; see 'heddle sim check --help'.");
            return CheckCommand.BAD_INPUT;
          }
          err.println("heddle sim: " + ex.getMessage());
          err.println(
              "Usage: heddle sim test -w WORKLOAD --bin FILE [options] [args for the node...]; see 'heddle sim test --help'.");
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, r) -> {
          if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
            err.println("heddle sim: " + ex.getMessage());
            return USAGE;
          }
          err.println("heddle sim: the simulator failed: " + ex);
          ex.printStackTrace(err);
          return CRASH;
        });
    return cl.execute(args);
  }
}
