package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliberately broken nodes are found invalid, for the right reason. */
class BrokenNodesTest {
  @TempDir Path store;

  @Test
  void broadcastWithoutRetriesLosesValuesUnderPartitions() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "broadcast",
            "python/broken_broadcast.py",
            b -> b.nodeCount(5).timeLimit(4).rate(30).nemesis(Set.of("partition"), 0.4));
    assertEquals(Validity.INVALID, run.outcome().validity(), run.results().toString());
    JsonNode w = run.workload();
    assertTrue(w.get("lost-count").asLong() > 0, w.toString());
    assertTrue(run.outcome().summary().contains("lost"), run.outcome().summary());
  }

  @Test
  void theSameBroadcastNodeIsValidWithoutFaults() throws Exception {
    SimRuns.Run run =
        SimRuns.run(store, "broadcast", "python/broken_broadcast.py", b -> b.nodeCount(5).rate(30));
    assertEquals(Validity.VALID, run.outcome().validity(), run.results().toString());
  }

  @Test
  void aCounterThatAppliesDuplicatesTwiceReadsTooMuch() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store,
            "g-counter",
            "python/broken_counter.py",
            b ->
                b.timeLimit(3)
                    .rate(40)
                    .nemesis(Set.of("duplicate"), 0.3)
                    .faults(new SimConfig.FaultParameters(0, 0.5, 0)));
    assertEquals(Validity.INVALID, run.outcome().validity(), run.results().toString());
    JsonNode w = run.workload();
    long max = w.get("acceptable").get(0).get(1).asLong();
    boolean tooHigh = false;
    for (JsonNode read : w.get("final-reads")) {
      tooHigh |= read.asLong() > max;
    }
    assertTrue(tooHigh, w.toString());
  }

  @Test
  void idsCountedPerNodeCollide() throws Exception {
    SimRuns.Run run = SimRuns.run(store, "unique-ids", "python/broken_ids.py", b -> b.rate(40));
    assertEquals(Validity.INVALID, run.outcome().validity());
    JsonNode w = run.workload();
    assertTrue(w.get("duplicated-count").asLong() > 0, w.toString());
    assertEquals(
        w.get("acknowledged-count").asLong(), run.results().at("/stats/ok-count").asLong());
  }
}
