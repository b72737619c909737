package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.sim.internal.cli.SimCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path store;

  private record Result(int code, String out, String err) {}

  private static Result sim(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SimCommand.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String echo() {
    return SimRuns.node("python/echo.py").toString();
  }

  @Test
  void anUnknownWorkloadListsTheKnownOnes() {
    Result r = sim("test", "-w", "ehco", "--bin", echo());
    assertEquals(SimCommand.USAGE, r.code());
    assertTrue(
        r.err()
            .contains(
                "Unknown workload 'ehco'. Known workloads: broadcast, echo, g-counter, g-set, kafka, lin-kv, pn-counter, txn-list-append, txn-rw-register, unique-ids."),
        r.err());
  }

  @Test
  void anUnknownConsistencyModelIsNamed() {
    Result r =
        sim("test", "-w", "txn-rw-register", "--bin", echo(), "--consistency-models", "acid");
    assertEquals(SimCommand.USAGE, r.code());
    assertTrue(
        r.err().contains("unknown consistency model 'acid'; known: read-uncommitted"), r.err());
  }

  @Test
  void aMissingBinIsNamed() {
    Result r = sim("test", "-w", "echo");
    assertEquals(SimCommand.USAGE, r.code());
    assertTrue(r.err().contains("Missing --bin"), r.err());
  }

  @Test
  void aBinThatIsNotExecutableIsExplained() throws Exception {
    Path script = Files.writeString(store.resolve("node.py"), "print('hi')\n");
    Result r = sim("test", "-w", "echo", "--bin", script.toString(), "--store", store.toString());
    assertEquals(SimCommand.USAGE, r.code());
    assertTrue(r.err().contains("is not executable. Make it executable (chmod +x"), r.err());
    Result missing = sim("test", "-w", "echo", "--bin", store.resolve("nope").toString());
    assertTrue(missing.err().contains("does not exist"), missing.err());
  }

  @Test
  void badOptionValuesAreNamed() {
    assertTrue(
        sim("test", "-w", "echo", "--bin", echo(), "--nemesis", "partition,meteor")
            .err()
            .contains(
                "unknown nemesis 'meteor'; known: duplicate, kill, loss, partition, pause, reorder"));
    assertTrue(
        sim("test", "-w", "echo", "--bin", echo(), "--concurrency", "3x")
            .err()
            .contains("concurrency must be an integer, optionally followed by n"));
    assertTrue(
        sim("test", "-w", "echo", "--bin", echo(), "--latency-dist", "normal")
            .err()
            .contains("latency-dist must be one of"));
  }

  @Test
  void exitCodesFollowTheVerdict() {
    String[] common = {
      "--node-count", "1", "--time-limit", "1", "--rate", "20", "--store", store.toString()
    };
    assertEquals(
        0, sim(concat(new String[] {"test", "-w", "echo", "--bin", echo()}, common)).code());
    assertEquals(
        1,
        sim(concat(
                new String[] {
                  "test", "-w", "echo", "--bin", SimRuns.node("python/bad_echo.py").toString()
                },
                common))
            .code());
    assertEquals(
        2,
        sim(concat(
                new String[] {
                  "test",
                  "-w",
                  "echo",
                  "--bin",
                  SimRuns.node("python/bad_node.py").toString(),
                  "no-init"
                },
                common))
            .code());
  }

  @Test
  void helpListsMaelstromsOptions() {
    Result r = sim("test", "--help");
    assertEquals(0, r.code());
    for (String o :
        new String[] {
          "--node-count",
          "--concurrency",
          "--rate",
          "--time-limit",
          "--latency",
          "--latency-dist",
          "--nemesis",
          "--nemesis-interval",
          "--availability",
          "--topology",
          "--log-stderr",
          "--test-count",
          "--seed"
        }) {
      assertTrue(r.out().contains(o), o);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
