package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoRunTest {
  @TempDir Path store;

  @Test
  void aCorrectEchoNodeIsValidAndTheRunIsJournalled() throws Exception {
    SimRuns.Run run = SimRuns.run(store, "echo", "python/echo.py", b -> b.rate(50));
    assertEquals(Validity.VALID, run.outcome().validity(), run.console());
    JsonNode r = run.results();
    for (String key :
        List.of(
            "perf",
            "timeline",
            "exceptions",
            "stats",
            "availability",
            "net",
            "workload",
            "valid?")) {
      assertTrue(r.has(key), "results.json has " + key);
    }
    assertTrue(r.at("/stats/ok-count").asLong() > 40, r.toString());
    // two messages per op, plus init and init_ok for each of the 3 nodes
    assertEquals(r.at("/stats/count").asLong() * 2 + 6, r.at("/net/clients/msg-count").asLong());
    assertEquals(0, r.at("/net/servers/msg-count").asLong());
    Path dir = run.outcome().directory();
    assertEquals(dir.getParent().getFileName().toString(), "echo");
    assertEquals(dir.toRealPath(), store.resolve("latest").toRealPath());
    assertEquals(dir.toRealPath(), store.resolve("echo/latest").toRealPath());
    for (String f :
        List.of(
            "history.jsonl",
            "history.txt",
            "report.html",
            "test.json",
            "sim.log",
            "node-logs/n0.log")) {
      assertTrue(Files.exists(dir.resolve(f)), f);
    }
    List<JsonNode> ops = run.history();
    JsonNode invoke = ops.getFirst();
    assertEquals("invoke", invoke.get("type").asText());
    assertEquals("echo", invoke.get("f").asText());
    assertTrue(invoke.get("value").asText().startsWith("Please echo "));
    assertTrue(run.console().contains("Seed: 42"), run.console());
  }

  @Test
  void aWrongEchoIsInvalid() throws Exception {
    SimRuns.Run run = SimRuns.run(store, "echo", "python/bad_echo.py", b -> b.rate(30));
    assertEquals(Validity.INVALID, run.outcome().validity());
    JsonNode error = run.workload().get("errors").get(0);
    assertTrue(error.get("got").asText().endsWith("!"), error.toString());
  }
}
