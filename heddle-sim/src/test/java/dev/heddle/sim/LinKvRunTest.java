package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lin-kv workload end to end: a proxy to the lin-kv service is valid, local state is not. */
class LinKvRunTest {
  @TempDir Path store;

  @Test
  void aProxyToTheLinKvServiceIsLinearizableUnderPartitionsAndKills() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "lin-kv",
            "python/lin_kv.py",
            b ->
                b.concurrency("2n")
                    .rate(100)
                    .latency(5, "uniform")
                    .nemesis(Set.of("partition", "kill"), 0.5));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
    JsonNode w = run.workload();
    assertTrue(w.get("key-count").asInt() >= 2, w.toString());
    long processes =
        run.history().stream()
            .filter(op -> op.get("process").isInt())
            .map(op -> op.get("process").asInt())
            .distinct()
            .count();
    assertTrue(processes >= 3, "several clients ran ops at once: " + processes);
    assertTrue(run.results().at("/stats/ok-count").asLong() > 20, run.results().toString());
    JsonNode first = run.history().get(0);
    assertEquals("invoke", first.get("type").asText());
    assertTrue(first.get("value").isArray(), first.toString());
  }

  @Test
  void nodesThatKeepTheirOwnStateAreNotLinearizable() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "lin-kv",
            "python/broken_lin_kv.py",
            b -> b.concurrency("2n").rate(200).latency(10, "constant"));
    assertEquals(Validity.INVALID, run.outcome().validity(), run.console() + run.results());
    JsonNode w = run.workload();
    String bad = w.get("failures").get(0).asText();
    JsonNode result = w.get("results").get(bad);
    assertTrue(
        result.get("explanation").asText().contains("The search linearized at most"), result + "");
    assertTrue(result.get("sub-history").size() >= 2, result.toString());
    assertTrue(run.console().contains("key(s) not linearizable: ["), run.console());
    String report = Files.readString(run.outcome().directory().resolve("report.html"));
    assertTrue(report.contains("<h2>Anomalies</h2>"), report);
    assertTrue(report.contains("not linearizable (key " + bad + ")"), report);
    assertTrue(report.contains(">search failed here</text>"), report);
    Path history = run.outcome().directory().resolve("history.jsonl");
    CheckCommandTest.Result check =
        CheckCommandTest.sim("check", "-w", "lin-kv", history.toString());
    assertEquals(1, check.code(), check.out() + check.err());
    assertTrue(check.out().contains("key " + bad + ": not linearizable"), check.out());
  }
}
