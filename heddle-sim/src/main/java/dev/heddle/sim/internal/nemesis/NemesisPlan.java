package dev.heddle.sim.internal.nemesis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans every nemesis action of a run before it starts, from the nemesis's own random stream, as
 * Jepsen's combined nemesis would generate them: actions at staggered times (gaps uniform in
 * 0..2×interval), each drawn from a random enabled fault, which alternates start and stop. The plan
 * depends only on the seed and the configuration, never on what the nodes do.
 */
public final class NemesisPlan {
  private NemesisPlan() {}

  /** Returns the planned actions in time order. */
  public static List<NemesisOp> create(SimConfig config, SplittableRandom random) {
    List<String> faults = new ArrayList<>(config.nemesis());
    List<NemesisOp> plan = new ArrayList<>();
    if (faults.isEmpty()) {
      return plan;
    }
    Map<String, List<String>> active = new HashMap<>();
    double t = 0;
    while (true) {
      t += random.nextDouble() * 2 * config.nemesisIntervalSeconds();
      if (t >= config.timeLimitSeconds()) {
        return plan;
      }
      String fault = faults.get(random.nextInt(faults.size()));
      long at = (long) (t * 1e9);
      if (active.containsKey(fault)) {
        plan.add(stop(at, fault, active.remove(fault)));
      } else {
        NemesisOp op = start(at, fault, config, random);
        active.put(fault, op.targets());
        plan.add(op);
      }
    }
  }

  private static NemesisOp start(long at, String fault, SimConfig config, SplittableRandom random) {
    List<String> nodes = config.nodes();
    SimConfig.FaultParameters p = config.faults();
    return switch (fault) {
      case "partition" -> {
        String spec = Partitions.SPECS.get(random.nextInt(Partitions.SPECS.size()));
        Map<String, List<String>> grudge = Partitions.grudge(spec, nodes, random);
        ObjectNode v = Json.object().put("spec", spec);
        v.set("grudge", Json.MAPPER.valueToTree(grudge));
        yield new NemesisOp(at, fault, true, "start-partition", v, List.of(), grudge);
      }
      case "kill", "pause" -> {
        List<String> targets = targets(nodes, random);
        yield new NemesisOp(
            at, fault, true, fault, Json.MAPPER.valueToTree(targets), targets, Map.of());
      }
      case "loss" -> probability(at, fault, p.lossProbability());
      case "duplicate" -> probability(at, fault, p.duplicateProbability());
      default ->
          new NemesisOp(
              at,
              fault,
              true,
              "start-reorder",
              Json.object().put("jitter-ms", p.reorderJitterMillis()),
              List.of(),
              Map.of());
    };
  }

  private static NemesisOp probability(long at, String fault, double probability) {
    return new NemesisOp(
        at,
        fault,
        true,
        "start-" + fault,
        Json.object().put("probability", probability),
        List.of(),
        Map.of());
  }

  private static NemesisOp stop(long at, String fault, List<String> targets) {
    String f =
        switch (fault) {
          case "kill" -> "start";
          case "pause" -> "resume";
          default -> "stop-" + fault;
        };
    return new NemesisOp(
        at,
        fault,
        false,
        f,
        targets.isEmpty() ? null : Json.MAPPER.valueToTree(targets),
        targets,
        Map.of());
  }

  /** Picks one node, or a random minority of them (never a majority, so a majority stays up). */
  static List<String> targets(List<String> nodes, SplittableRandom random) {
    List<String> shuffled = Partitions.shuffle(nodes, random);
    int maxMinority = Math.max(1, (nodes.size() - 1) / 2);
    int count = random.nextBoolean() ? 1 : 1 + random.nextInt(maxMinority);
    return List.copyOf(shuffled.subList(0, count).stream().sorted().toList());
  }
}
