package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The repository's correct nodes are valid, in Python under faults and in JavaScript. */
class CorrectNodesTest {
  @TempDir Path store;

  @ParameterizedTest(name = "{0} with {1} under partition,kill,duplicate")
  @CsvSource({
    "unique-ids, python/unique_ids.py",
    "broadcast, python/broadcast.py",
    "g-set, python/g_set.py",
    "g-counter, python/counter.py",
    "pn-counter, python/counter.py"
  })
  void pythonNodesAreValidUnderPartitionKillAndDuplicate(String workload, String node)
      throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            workload,
            node,
            b ->
                b.nodeCount(5).timeLimit(4).nemesis(Set.of("partition", "kill", "duplicate"), 0.7));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
    long nemesisOps =
        run.history().stream().filter(op -> op.get("process").asText().equals("nemesis")).count();
    assertTrue(nemesisOps >= 3, "the nemesis acted: " + nemesisOps);
    assertTrue(run.results().at("/stats/ok-count").asLong() > 20);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "echo, js/echo.js",
    "unique-ids, js/unique_ids.js",
    "broadcast, js/broadcast.js",
    "g-set, js/g_set.js",
    "g-counter, js/counter.js",
    "pn-counter, js/counter.js"
  })
  void javascriptNodesAreValidUnderPartitions(String workload, String node) throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store, workload, node, b -> b.latency(5, "uniform").nemesis(Set.of("partition"), 0.5));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
    JsonNode w = run.workload();
    if (w.has("stable-count")) {
      assertEquals(w.get("attempt-count").asLong(), w.get("stable-count").asLong(), w.toString());
    }
  }
}
