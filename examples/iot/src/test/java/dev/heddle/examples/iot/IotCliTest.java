package dev.heddle.examples.iot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bin/iot}'s command line: bad arguments are refused (exit 2) before anything starts. */
class IotCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return IotMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsage() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(text(out).contains("--workers N"), text(out));
  }

  @Test
  void badArgumentsAreRefusedWithTheReasonAndTheUsage() throws Exception {
    assertEquals(2, run("--workers", "0"));
    assertTrue(text(err).startsWith("iot: --workers must be from 1 to 64, not 0"), text(err));
    err.reset();
    assertEquals(2, run("--port", "http"));
    assertTrue(text(err).startsWith("iot: --port wants a number, not 'http'"), text(err));
    err.reset();
    assertEquals(2, run("--bogus"));
    assertTrue(text(err).contains("unknown argument --bogus"), text(err));
    assertTrue(text(err).contains("usage: bin/iot"), text(err));
    err.reset();
    assertEquals(2, run("--state-dir"));
    assertTrue(text(err).contains("--state-dir needs a value"), text(err));
  }
}
