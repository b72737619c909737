package dev.heddle.console;

import dev.heddle.console.internal.ReplInput;
import dev.heddle.console.live.Systems;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * The {@code heddle} command line (picocli): one method per subcommand. {@code --system} and {@code
 * --systems-dir} are global: they may come before or after the subcommand. Run it through {@link
 * HeddleMain#run}, which maps failures to exit codes.
 */
@Command(
    name = "heddle",
    mixinStandardHelpOptions = true,
    version = "heddle 0.1.0-SNAPSHOT",
    synopsisHeading = "usage: ",
    description = "Runs, inspects and controls Heddle systems.",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nRun by bin/heddle itself:%n",
    footer = {
      "  sim ...      the Maelstrom-compatible simulator (heddle sim --help)",
      "  agent ...    run a per-host agent (normally started for you by Host.local())",
      "",
      "Exit codes: 0 ok; 1 the system said no or is not there (no system, unknown",
      "service, stale registration, refused token); 2 bad usage.",
      "'heddle COMMAND --help' tells more of each command."
    },
    subcommands = CommandLine.HelpCommand.class)
final class HeddleCommand implements Runnable {
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  @Option(
      names = "--system",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "The system to talk to, when several run.")
  @Nullable String system;

  @Option(
      names = "--systems-dir",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Where running systems register. Default: $HEDDLE_SYSTEMS, else"
              + " $XDG_STATE_HOME/heddle/systems, else that under $HOME/.local/state")
  @Nullable Path systemsDir;

  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec; // set by picocli before run()

  HeddleCommand(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** {@code heddle} alone: the usage. */
  @Override
  public void run() {
    if (spec != null) {
      spec.commandLine().usage(out);
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Starts a small system through the local agent: an HTTP service on a socket the agent"
              + " holds, and a ticker; restarts what dies. Ctrl-C stops it.")
  int demo(
      @Parameters(paramLabel = "[--port N]", description = "The web port (default 7070).")
          @Nullable List<String> args)
      throws Exception {
    // demo parses its own few options (its messages predate picocli); see HeddleMain
    return Demo.run((args == null ? List.<String>of() : args).toArray(String[]::new), out, err);
  }

  @Command(name = "version", description = "Prints the version.")
  void version() {
    out.println("heddle 0.1.0-SNAPSHOT");
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "The running system's services.")
  void status(@Option(names = "--json", description = "As JSON, the API's answer.") boolean json)
      throws Failure, InterruptedException {
    control().status(json);
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "The last N lines of a service's log; -f follows it across restarts.")
  void logs(
      @Parameters(paramLabel = "SERVICE", description = "The service, e.g. orderd-1.")
          String service,
      @Option(
              names = "-n",
              paramLabel = "N",
              defaultValue = "50",
              converter = LineCount.class,
              description = "How many lines, 1 to 10000 (default ${DEFAULT-VALUE}).")
          int lines,
      @Option(
              names = {"-f", "--follow"},
              description = "Then follow the log.")
          boolean follow,
      @Option(names = "--stderr", description = "Its stderr instead of its stdout.") boolean stderr)
      throws Failure, InterruptedException {
    control().logs(service, lines, follow, stderr);
  }

  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description = "The last N events (starts, exits, restarts); -f follows them.")
  void events(
      @Option(
              names = "-n",
              paramLabel = "N",
              defaultValue = "20",
              converter = LineCount.class,
              description = "How many events, 1 to 10000 (default ${DEFAULT-VALUE}).")
          int lines,
      @Option(
              names = {"-f", "--follow"},
              description = "Then follow the events.")
          boolean follow)
      throws Failure, InterruptedException {
    control().events(lines, follow);
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restarts a service; returns once the new one is ready.")
  void restart(@Parameters(paramLabel = "SERVICE", description = "The service.") String service)
      throws Failure, InterruptedException {
    control().act(service, "restart");
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops one service (it stays stopped), or without SERVICE the whole system.")
  void stop(
      @Parameters(paramLabel = "SERVICE", arity = "0..1", description = "The service.")
          @Nullable String service)
      throws Failure, InterruptedException {
    if (service == null) {
      control().stopSystem();
    } else {
      control().act(service, "stop");
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts a service stopped with stop.")
  void start(@Parameters(paramLabel = "SERVICE", description = "The service.") String service)
      throws Failure, InterruptedException {
    control().act(service, "start");
  }

  @Command(
      name = "repl",
      mixinStandardHelpOptions = true,
      description =
          "A Java shell in the running program: scope, host and each service (orderd-1 as"
              + " orderd_1) are variables. Reads stdin, on a terminal with line editing and"
              + " history ($XDG_STATE_HOME/heddle/repl_history, else that under"
              + " $HOME/.local/state); /exit, Ctrl-D or Ctrl-C on an empty line ends it.")
  void repl() throws Failure, InterruptedException {
    Control control = control();
    ReplInput input;
    try {
      input =
          terminal
              ? ReplInput.terminal(ReplInput.defaultHistory())
              : ReplInput.plain(in, out, false);
    } catch (IOException e) {
      throw new Failure(1, "cannot open the terminal for line editing: " + e);
    }
    try (input) {
      control.repl(input);
    }
  }

  private Control control() throws Failure {
    Path dir = systemsDir != null ? systemsDir : Systems.dir();
    return new Control(Target.find(system, dir), out);
  }

  /** {@code -n}: a whole number from 1 to 10000. */
  static final class LineCount implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > 10_000) {
        throw new CommandLine.TypeConversionException(
            "-n takes a whole number from 1 to 10000, got '" + value + "'");
      }
      return n;
    }
  }
}
