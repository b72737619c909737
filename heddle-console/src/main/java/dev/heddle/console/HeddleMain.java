package dev.heddle.console;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code bin/heddle}: parses the command line ({@link HeddleCommand}) and runs the subcommand. Exit
 * codes: 0 ok; 1 the system said no or is not there; 2 bad usage, which prints what was wrong and
 * the usage of the (sub)command.
 */
public final class HeddleMain {
  private HeddleMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.in, stdinIsATerminal(), System.out, System.err));
  }

  @SuppressWarnings("SystemConsoleNull") // NullAway's model of the JDK still says it may be null
  private static boolean stdinIsATerminal() {
    var console = System.console();
    return console != null && console.isTerminal();
  }

  /** Runs one command as {@code bin/heddle} would, with no input; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, InputStream.nullInputStream(), false, out, err);
  }

  /**
   * Runs one command reading {@code in} ({@code heddle repl}); {@code terminal} says it is a
   * terminal (prompts, line editing). Returns the exit code.
   */
  static int run(
      String[] args, InputStream in, boolean terminal, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new HeddleCommand(in, out, err, terminal));
    cl.setOut(new PrintWriter(out, true, out.charset()));
    cl.setErr(new PrintWriter(err, true, err.charset()));
    java.util.Objects.requireNonNull(cl.getSubcommands().get("demo"), "demo")
        .setUnmatchedOptionsArePositionalParams(true);
    cl.getSubcommands()
        .values()
        .forEach(c -> c.getCommandSpec().usageMessage().synopsisHeading("usage: "));
    cl.setParameterExceptionHandler(
        (e, _) -> {
          CommandLine bad = e.getCommandLine();
          err.println(bad.getCommandSpec().qualifiedName() + ": " + message(e));
          CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
          bad.usage(err);
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, bad, _) -> {
          if (e instanceof Failure f) {
            err.println(bad.getCommandSpec().qualifiedName() + ": " + f.getMessage());
            return f.code;
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return 130;
          }
          throw e;
        });
    return cl.execute(args);
  }

  /** What was wrong with the command line, in the words the tests and users know. */
  private static String message(CommandLine.ParameterException e) {
    if (e.getCause() instanceof CommandLine.TypeConversionException t) {
      return String.valueOf(t.getMessage()); // says which option and what it takes
    }
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().getFirst();
      if (first.startsWith("-")) {
        return "unknown option " + first;
      }
      boolean top = e.getCommandLine().getParent() == null;
      return top ? "unknown command '" + first + "'." : "unexpected argument '" + first + "'";
    }
    return String.valueOf(e.getMessage());
  }
}
