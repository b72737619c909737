package dev.heddle.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Helpers for tests that run real node programs through the simulator. */
final class SimRuns {
  private SimRuns() {}

  /** Returns a node program under src/test/nodes. */
  static Path node(String relative) {
    String dir = System.getProperty("heddle.sim.nodes", "src/test/nodes");
    return Path.of(dir, relative).toAbsolutePath();
  }

  /** A finished run: its outcome, results.json and console text. */
  record Run(SimOutcome outcome, JsonNode results, String console) {
    JsonNode workload() {
      return results.get("workload");
    }

    List<JsonNode> history() throws IOException {
      List<JsonNode> ops = new ArrayList<>();
      for (String line : Files.readAllLines(outcome.directory().resolve("history.jsonl"))) {
        ops.add(Json.MAPPER.readTree(line));
      }
      return ops;
    }
  }

  /**
   * Runs a test with short defaults (3 nodes, 2 s, rate 20, recovery 1 s) changed by {@code tweak}.
   */
  static Run run(
      Path store, String workload, String node, Consumer<SimConfig.Builder> tweak, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(node(node).toString());
    command.addAll(List.of(args));
    SimConfig.Builder b =
        SimConfig.builder(workload, command)
            .nodeCount(3)
            .timeLimit(2)
            .rate(20)
            .recovery(1)
            .store(store)
            .seed(42);
    tweak.accept(b);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    SimOutcome o;
    try (PrintStream console = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      o = Simulator.run(b.build(), console);
    }
    JsonNode results = Json.MAPPER.readTree(o.directory().resolve("results.json").toFile());
    return new Run(o, results, buf.toString(StandardCharsets.UTF_8));
  }
}
