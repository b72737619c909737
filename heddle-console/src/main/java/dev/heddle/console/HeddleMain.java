package dev.heddle.console;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code bin/heddle}: dispatches to a subcommand. Exit codes: 0 ok, 2 bad usage. */
public final class HeddleMain {
  private HeddleMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command as {@code bin/heddle} would; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String cmd = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (cmd) {
      case "demo" -> {
        return Demo.run(rest, out, err);
      }
      case "status", "logs", "events", "restart", "stop", "start", "repl" -> {
        return Control.run(cmd, rest, out, err);
      }
      case "help", "--help", "-h" -> usage(out);
      case "version", "--version" -> out.println("heddle 0.1.0-SNAPSHOT");
      default -> {
        err.println("heddle: unknown command '" + cmd + "'.");
        usage(err);
        return 2;
      }
    }
    return 0;
  }

  private static void usage(PrintStream out) {
    out.println(
        """
        usage: heddle <command> [options]

          demo [--port N]    start a small system through the local agent: an HTTP service on a
                             socket the agent holds, and a ticker; restarts what dies; Ctrl-C stops
          sim ...            the Maelstrom-compatible simulator (heddle sim --help)
        """
            + Control.USAGE
            + """
          agent ...          run a per-host agent (normally started for you by Host.local())
          version            print the version
        """);
  }
}
