package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transactional workloads against real nodes: one that commits each txn with a single lin-kv
 * cas is strict-serializable, also while nodes are partitioned and killed; one with no isolation at
 * all is caught.
 */
class TxnNodesTest {
  @TempDir Path store;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"txn-list-append", "txn-rw-register"})
  void txnsCommittedByOneCasAreStrictSerializableUnderPartitionsAndKills(String workload)
      throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            workload,
            "js/txn_serial.js",
            b ->
                b.concurrency("2n")
                    .rate(40)
                    .timeLimit(3)
                    .latency(5, "uniform")
                    .nemesis(Set.of("partition", "kill"), 0.7));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
    JsonNode w = run.workload();
    assertEquals("strict-serializable", w.get("model").asText());
    assertTrue(w.get("txn-count").asInt() > 40, w.toString());
    assertEquals(0, w.get("anomaly-types").size(), w.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"txn-list-append", "txn-rw-register"})
  void txnsWithoutIsolationAreCaught(String workload) throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            workload,
            "js/txn_dirty.js",
            b -> b.concurrency("2n").rate(100).timeLimit(3).latency(10, "uniform"));
    assertEquals(Validity.INVALID, run.outcome().validity(), run.results().toString());
    JsonNode w = run.workload();
    List<String> found = new ArrayList<>();
    w.get("anomaly-types").fieldNames().forEachRemaining(found::add);
    assertTrue(found.contains("G1a"), "aborted writes were read: " + found);
    assertTrue(found.contains("G1b"), "reads of another txn's intermediate write: " + found);
    assertTrue(
        found.stream().anyMatch(a -> a.startsWith("G-single") || a.startsWith("G2")),
        "anti-dependency cycles: " + found);
    assertTrue(run.outcome().summary().contains("anomalies"), run.outcome().summary());
    String report = Files.readString(run.outcome().directory().resolve("report.html"));
    assertTrue(report.contains("<h2>Anomalies</h2>"), report);
    assertTrue(report.contains("<rect class=\"op\""), report);
    assertTrue(report.contains("cycle: txn "), report);
  }
}
