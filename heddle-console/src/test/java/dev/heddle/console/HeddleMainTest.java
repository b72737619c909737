package dev.heddle.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
  void helpAndVersionSucceed() throws Exception {
    assertEquals(0, run("help"));
    assertEquals(0, run("version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("heddle 0.1.0"));
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
