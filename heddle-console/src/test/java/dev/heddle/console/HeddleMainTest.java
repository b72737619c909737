package dev.heddle.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line answers bad input with a message and exit code 2, before starting anything. */
class HeddleMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return HeddleMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownCommandIsNamedAndTheUsageShown() throws Exception {
    assertEquals(2, run("frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'"), err());
    assertTrue(err().contains("usage: heddle"), err());
  }

  @Test
  void aMistypedCommandGetsSuggestions() throws Exception {
    assertEquals(2, run("stauts"));
    assertTrue(err().contains("heddle: unknown command 'stauts'."), err());
    assertTrue(
        err().lines().anyMatch(l -> l.startsWith("Did you mean:") && l.contains("heddle status")),
        err());
  }

  @Test
  void aMissingServiceIsNamedAndTheCommandsUsageShown() throws Exception {
    for (String command : List.of("logs", "restart", "start")) {
      err.reset();
      assertEquals(2, run(command), command);
      assertTrue(
          err().startsWith("heddle " + command + ": Missing required parameter: 'SERVICE'"), err());
      assertTrue(err().contains("usage: heddle " + command + " "), err());
    }
  }

  @Test
  void aBadLineCountIsRefusedBeforeLookingForASystem() throws Exception {
    for (String n : List.of("abc", "0", "10001", "-3")) {
      err.reset();
      assertEquals(2, run("logs", "web", "-n", n), n);
      assertTrue(
          err().startsWith("heddle logs: -n takes a whole number from 1 to 10000, got '" + n + "'"),
          err());
      assertTrue(err().contains("usage: heddle logs"), err());
    }
    assertEquals(2, run("events", "-n"));
    assertTrue(err().contains("Missing required parameter for option '-n' (N)"), err());
  }

  @Test
  void unknownOptionsAndExtraArgumentsAreUsageErrors() throws Exception {
    assertEquals(2, run("status", "--colour"));
    assertTrue(err().startsWith("heddle status: unknown option --colour"), err());
    assertTrue(err().contains("usage: heddle status"), err());
    err.reset();
    assertEquals(2, run("stop", "web", "db"));
    assertTrue(err().startsWith("heddle stop: unexpected argument 'db'"), err());
    err.reset();
    assertEquals(2, run("repl", "now"));
    assertTrue(err().startsWith("heddle repl: unexpected argument 'now'"), err());
  }

  @Test
  void everySubcommandHasHelp() throws Exception {
    for (String command :
        List.of("status", "logs", "events", "restart", "stop", "start", "repl", "demo")) {
      out.reset();
      assertEquals(0, run(command, "--help"), command);
      String help = out.toString(StandardCharsets.UTF_8);
      assertTrue(help.startsWith("usage: heddle " + command), help);
      assertTrue(help.contains("--system=NAME"), help);
    }
    out.reset();
    assertEquals(0, run("help", "logs"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("-n=N"));
  }

  @Test
  void systemMayComeBeforeOrAfterTheCommand() throws Exception {
    Path empty = Files.createTempDirectory("heddle-systems");
    try {
      assertEquals(1, run("--system", "lab", "status", "--systems-dir", empty.toString()));
      assertTrue(err().contains("no system 'lab' is running (looked in " + empty), err());
      err.reset();
      assertEquals(1, run("--systems-dir", empty.toString(), "logs", "web", "--system", "lab"));
      assertTrue(err().startsWith("heddle logs: no system 'lab' is running"), err());
    } finally {
      Files.delete(empty);
    }
  }

  @Test
  void helpAndVersionSucceed() throws Exception {
    assertEquals(0, run("help"));
    assertEquals(0, run("version"));
    assertEquals(0, run("--version"));
    assertEquals(0, run());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("heddle 0.1.0"), printed);
    assertTrue(printed.contains("usage: heddle"), printed);
  }

  @Test
  void demoRefusesAPortThatIsNotANumber() throws Exception {
    assertEquals(2, run("demo", "--port", "seventy"));
    assertTrue(err().contains("--port needs a number, got 'seventy'"), err());
  }

  @Test
  void demoRefusesUnknownOptions() throws Exception {
    assertEquals(2, run("demo", "--bogus"));
    assertTrue(err().contains("unknown option '--bogus'"), err());
  }
}
