package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** bin/orders answers bad input with a clear message and exit code 2, before starting anything. */
class OptionsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return OrdersMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void refused(String message, String... args) throws Exception {
    err.reset();
    assertEquals(2, run(args), String.join(" ", args));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("orders: " + message + "\n"), text);
    assertTrue(text.contains("usage: bin/orders"), text);
    assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing started");
  }

  @Test
  void badArgumentsAreNamedWithTheUsageAndExitCode2() throws Exception {
    refused("unknown option '--prot'", "--prot", "7000");
    refused("--port needs a number, got 'seventy'", "--port", "seventy");
    refused("--port must be 0..65535, got 70000", "--port", "70000");
    refused("--port needs a value", "--port");
    refused("--workers must be 1..64, got 0", "--workers", "0");
    refused("--workers needs a number, got 'many'", "--workers", "many");
    refused("--limit must be 1..1000000000000, got -3", "--limit", "-3");
    refused("--state-dir needs a directory, got ''", "--state-dir", "");
    refused("unknown option 'extra'", "--no-audit", "extra");
    refused("--load-clients must be 0..64, got 65", "--load-clients", "65");
    refused(
        "--hosts needs three hosts, P,O,L (positiond, orderd, load client), got 'h1,h2'",
        "--hosts",
        "h1,h2");
    refused(
        "--hosts needs three hosts, P,O,L (positiond, orderd, load client), got 'h1,,h3'",
        "--hosts",
        "h1,,h3");
    refused(
        "--handover needs --state-dir DIR, where the next run finds the system it takes over",
        "--handover");
    refused(
        "--handover needs a fixed --port: the next run takes over the socket at that address",
        "--handover",
        "--state-dir",
        "s",
        "--port",
        "0");
  }

  @Test
  void goodArgumentsAreUnderstood() {
    assertEquals(
        new Options(
            7000,
            Optional.empty(),
            1,
            1_000_000,
            true,
            false,
            false,
            List.of(),
            List.of(),
            2,
            false),
        Options.parse(new String[0]));
    assertEquals(
        new Options(
            0,
            Optional.of(Path.of("s")),
            4,
            50,
            false,
            true,
            false,
            List.of(),
            List.of(),
            2,
            false),
        Options.parse(
            new String[] {
              "--port",
              "0",
              "--state-dir",
              "s",
              "--workers",
              "4",
              "--limit",
              "50",
              "--no-audit",
              "--repl"
            }));
    assertEquals(
        new Options(
            7001,
            Optional.of(Path.of("s")),
            1,
            1_000_000,
            true,
            false,
            true,
            List.of(),
            List.of(),
            2,
            false),
        Options.parse(new String[] {"--handover", "--state-dir", "s", "--port", "7001"}));
    assertEquals(
        List.of("--x", "1"),
        Options.parse(new String[] {"--orderd-arg", "--x", "--orderd-arg", "1"}).orderdArgs());
    assertEquals(
        List.of("h1", "h2", "root@10.0.0.9"),
        Options.parse(new String[] {"--hosts", "h1,h2,root@10.0.0.9"}).hosts());
    assertEquals(0, Options.parse(new String[] {"--load-clients", "0"}).loadClients());
  }

  @Test
  void helpPrintsTheUsage() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: bin/orders"));
  }
}
