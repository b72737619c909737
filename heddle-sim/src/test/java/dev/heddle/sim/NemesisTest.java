package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kill loses a node's memory, pause stalls it, and partitions never cut clients off. */
class NemesisTest {
  @TempDir Path store;

  @Test
  void killRestartsANodeWithAFreshInitAndItsMemoryIsGone() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "g-counter",
            "python/broken_counter.py",
            b -> b.timeLimit(3).rate(40).nemesis(Set.of("kill"), 0.5));
    List<JsonNode> ops = run.history();
    assertTrue(ops.stream().anyMatch(op -> op.get("f").asText().equals("kill")), "killed");
    assertTrue(ops.stream().anyMatch(op -> op.get("f").asText().equals("start")), "restarted");
    assertEquals(
        Validity.INVALID,
        run.outcome().validity(),
        "an in-memory counter forgets its count: " + run.workload());
    assertTrue(
        run.results().at("/net/clients/msg-count").asLong()
            > 2L * run.results().at("/stats/count").asLong() + 6,
        "restarted nodes got a new init");
  }

  @Test
  void pauseStallsANodeUntilItIsResumed() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "echo",
            "python/echo.py",
            b -> b.nodeCount(1).timeLimit(3).rate(30).nemesis(Set.of("pause"), 0.6));
    Map<Integer, Long> invoked = new HashMap<>();
    long slowest = 0;
    for (JsonNode op : run.history()) {
      if (op.get("process").asText().equals("nemesis")) {
        continue;
      }
      if (op.get("type").asText().equals("invoke")) {
        invoked.put(op.get("process").asInt(), op.get("time").asLong());
      } else {
        slowest =
            Math.max(slowest, op.get("time").asLong() - invoked.get(op.get("process").asInt()));
      }
    }
    assertTrue(
        run.history().stream().anyMatch(op -> op.get("f").asText().equals("resume")), "resumed");
    assertTrue(slowest > 150_000_000L, "an op waited for the resume: " + slowest / 1e6 + " ms");
    assertEquals(Validity.VALID, run.outcome().validity());
  }

  @Test
  void uniqueIdsStayTotallyAvailableUnderPartitions() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "unique-ids",
            "python/unique_ids.py",
            b -> b.timeLimit(3).rate(100).availability("total").nemesis(Set.of("partition"), 0.3));
    assertEquals(Validity.VALID, run.outcome().validity(), run.results().toString());
    assertEquals(1.0, run.results().at("/availability/ok-fraction").asDouble());
  }
}
