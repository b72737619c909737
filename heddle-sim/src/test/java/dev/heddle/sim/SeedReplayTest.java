package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same seed replays the same fault schedule and the same client operations. */
class SeedReplayTest {
  @TempDir Path store;

  private static final Set<String> ALL =
      Set.of("partition", "kill", "pause", "loss", "duplicate", "reorder");

  @Test
  void theSameSeedGivesTheSameFaultsAndOperations() throws Exception {
    Consumer<SimConfig.Builder> config =
        b ->
            b.seed(1234)
                .timeLimit(3)
                .rate(40)
                .concurrency("2n")
                .latency(2, "exponential")
                .nemesis(ALL, 0.3);
    SimRuns.Run first = SimRuns.run(store, "echo", "python/echo.py", config);
    SimRuns.Run second = SimRuns.run(store, "echo", "python/echo.py", config);
    List<String> faults = nemesis(first);
    assertTrue(faults.size() >= 8, "the nemesis acted: " + faults);
    assertEquals(faults, nemesis(second));
    List<String> ops = invocations(first);
    assertTrue(ops.size() > 80, "ops ran: " + ops.size());
    assertEquals(ops, invocations(second));

    SimRuns.Run other =
        SimRuns.run(store, "echo", "python/echo.py", config.andThen(b -> b.seed(99)));
    assertNotEquals(faults, nemesis(other));
    assertNotEquals(ops, invocations(other));
  }

  private static List<String> nemesis(SimRuns.Run run) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode op : run.history()) {
      if (op.get("process").asText().equals("nemesis")) {
        out.add(op.get("f").asText() + " " + op.get("value"));
      }
    }
    return out;
  }

  private static List<String> invocations(SimRuns.Run run) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode op : run.history()) {
      if (op.get("type").asText().equals("invoke")) {
        out.add(op.get("f").asText() + " " + op.get("value"));
      }
    }
    return out;
  }
}
