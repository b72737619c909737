package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Nodes that misbehave do not break the run; results and report say what they did. */
class BadNodesTest {
  @TempDir Path store;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "garbage, line-not-valid-json, hello from a print statement",
    "malformed, malformed-message, echo_ok",
    "unknown-reply, reply-to-unknown-msg-id, 987654",
    "unknown-dest, unknown-destination, n99",
    "exit, exited, giving up: something went terribly wrong"
  })
  void misbehaviourIsRecordedAndExplained(String mode, String kind, String sample)
      throws Exception {
    SimRuns.Run run =
        SimRuns.run(store, "echo", "python/bad_node.py", b -> b.timeLimit(1.5).rate(30), mode);
    JsonNode problem = problem(run.results(), kind);
    assertTrue(problem.get("count").asLong() >= 1);
    assertTrue(problem.get("samples").get(0).asText().contains(sample), problem.toString());
    String report = Files.readString(run.outcome().directory().resolve("report.html"));
    assertTrue(report.contains(kind), "the report names " + kind);
    assertTrue(run.outcome().summary().contains("Node "), run.outcome().summary());
  }

  @Test
  void aNodeThatNeverAnswersInitMakesTheRunUnknown() throws Exception {
    SimRuns.Run run =
        SimRuns.run(
            store, "echo", "python/bad_node.py", b -> b.nodeCount(2).timeLimit(1), "no-init");
    assertEquals(Validity.UNKNOWN, run.outcome().validity());
    assertEquals("[\"n0\",\"n1\"]", run.results().get("init-failed").toString());
    assertTrue(
        problem(run.results(), "init-failed")
            .get("samples")
            .get(0)
            .asText()
            .contains("did not respond within 10 s"));
  }

  @Test
  void aNodeThatDiesAtStartFailsInitAtOnceWithItsStderr() throws Exception {
    long start = System.nanoTime();
    SimRuns.Run run =
        SimRuns.run(
            store, "echo", "python/bad_node.py", b -> b.nodeCount(1).timeLimit(1), "die-at-start");
    assertTrue((System.nanoTime() - start) / 1e9 < 8, "did not wait out the 10 s init deadline");
    assertEquals(Validity.UNKNOWN, run.outcome().validity());
    String exited = problem(run.results(), "exited").get("samples").get(0).asText();
    assertTrue(
        exited.contains("exited with code 1") && exited.contains("bad config: no such file"),
        exited);
    assertTrue(
        run.outcome().summary().contains("bad config: no such file"), run.outcome().summary());
  }

  @Test
  void aFloodingNodeIsThrottledAndTheRunFinishes() throws Exception {
    long start = System.nanoTime();
    SimRuns.Run run =
        SimRuns.run(store, "echo", "python/bad_node.py", b -> b.timeLimit(3).rate(20), "flood");
    assertTrue((System.nanoTime() - start) / 1e9 < 40, "finished in time");
    assertTrue(
        run.results().at("/net/servers/msg-count").asLong() > 50_000,
        run.results().at("/net").toString());
    assertTrue(run.results().at("/stats/ok-count").asLong() > 0);
  }

  private static JsonNode problem(JsonNode results, String kind) {
    for (JsonNode p : results.path("problems")) {
      if (p.get("kind").asText().equals(kind)) {
        return p;
      }
    }
    throw new AssertionError("no problem of kind " + kind + " in " + results.path("problems"));
  }
}
