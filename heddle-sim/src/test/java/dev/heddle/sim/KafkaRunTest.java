package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka workload: a log on lin-kv is valid; a log kept in each node's memory is caught. */
class KafkaRunTest {
  @TempDir Path store;

  @Test
  void aLogOnLinKvIsValid() throws Exception {
    SimRuns.Run run =
        SimRuns.run(store, "kafka", "js/kafka.js", b -> b.latency(2, "uniform").rate(40));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
    JsonNode w = run.workload();
    assertTrue(w.get("acknowledged-count").asLong() > 10, w.toString());
    assertTrue(w.get("poll-count").asLong() > 5, w.toString());
    assertEquals(0, w.get("unseen-count").asLong(), w.toString());
    for (String f : List.of("send", "poll", "commit_offsets", "list_committed_offsets")) {
      assertTrue(run.results().at("/stats/by-f/" + f + "/ok-count").asLong() > 0, f);
    }
  }

  @Test
  void aLogOnLinKvIsValidAcrossKills() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store, "kafka", "js/kafka.js", b -> b.timeLimit(4).nemesis(Set.of("kill"), 0.7));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console() + run.results());
  }

  @Test
  void logsKeptPerNodeLoseAcknowledgedWrites() throws Exception {
    SimRuns.Run run =
        SimRuns.run(store, "kafka", "js/kafka_lossy.js", b -> b.nodeCount(2).rate(40));
    assertEquals(Validity.INVALID, run.outcome().validity(), run.results().toString());
    JsonNode types = run.workload().get("anomaly-types");
    // each node hands out the same offsets for different messages; every message is still read
    // somewhere, since the final polls ask both nodes
    assertTrue(types.has("inconsistent-offsets"), types.toString());
    assertTrue(run.outcome().summary().contains("error(s), first:"), run.outcome().summary());
    String report = Files.readString(run.outcome().directory().resolve("report.html"));
    assertTrue(report.contains("<h2>Anomalies</h2>"), report);
    assertTrue(report.contains("<b>inconsistent-offsets</b>"), report);
    assertTrue(report.contains("<rect class=\"op\""), report);
  }

  @Test
  void aLogInMemoryForgetsWhenKilled() throws Exception {
    SimRuns.Run alone = SimRuns.run(store, "kafka", "js/kafka_lossy.js", b -> b.nodeCount(1));
    assertEquals(Validity.VALID, alone.outcome().validity(), alone.results().toString());
    SimRuns.Run killed =
        SimRuns.run(
            store,
            "kafka",
            "js/kafka_lossy.js",
            b ->
                b.nodeCount(1)
                    .concurrency("4n")
                    .timeLimit(8)
                    .rate(50)
                    .nemesis(Set.of("kill"), 1.5));
    assertEquals(Validity.INVALID, killed.outcome().validity(), killed.results().toString());
    assertTrue(killed.workload().get("anomaly-types").size() > 0, killed.workload().toString());
  }

  @Test
  void checkingAMalformedKafkaHistoryNamesTheLine() throws Exception {
    Path f =
        Files.write(
            store.resolve("kafka.jsonl"),
            List.of(
                "{\"process\": 0, \"type\": \"invoke\", \"f\": \"send\", \"value\": [\"a\", 1]}",
                "{\"process\": 0, \"type\": \"ok\", \"f\": \"send\", \"value\": [\"a\", [0, 1]]}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"poll\", \"value\": {\"a\": 0}}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"poll\", \"value\": {\"a\": [0, 1]}}"));
    CheckCommandTest.Result r = CheckCommandTest.sim("check", "-w", "kafka", f.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains(f + " line 4: the messages of key a in a kafka poll must be"), r.err());
  }

  @Test
  void checkingAKafkaHistoryWithALostWriteExitsOne() throws Exception {
    Path f =
        Files.write(
            store.resolve("kafka.jsonl"),
            List.of(
                "{\"process\": 0, \"type\": \"invoke\", \"f\": \"send\", \"value\": [\"a\", 1]}",
                "{\"process\": 0, \"type\": \"ok\", \"f\": \"send\", \"value\": [\"a\", [0, 1]]}",
                "{\"process\": 0, \"type\": \"invoke\", \"f\": \"send\", \"value\": [\"a\", 2]}",
                "{\"process\": 0, \"type\": \"ok\", \"f\": \"send\", \"value\": [\"a\", [1, 2]]}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"poll\", \"value\": {\"a\": 1}}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"poll\", \"value\": {\"a\": [[1, 2]]}}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"poll\", \"value\": {\"a\": 0}}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"poll\", \"value\": {\"a\": [[1, 2]]}}"));
    CheckCommandTest.Result r = CheckCommandTest.sim("check", "-w", "kafka", f.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("lost-write"), r.out());
    assertTrue(r.out().contains("no poll ever returned it"), r.out());
    assertTrue(r.out().endsWith("valid? false\n"), r.out());
  }
}
