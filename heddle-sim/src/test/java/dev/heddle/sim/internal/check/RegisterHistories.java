package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random lin-kv histories of a real (atomic) register per key: each op takes effect at a random
 * point between its invocation and its completion, so the history is linearizable by construction.
 * About 5% of writes and cas complete as info, half of them without having taken effect. Used by
 * the checker's tests and by {@link LinearizabilityBench}.
 */
final class RegisterHistories {
  private RegisterHistories() {}

  private static final class Client {
    int process;
    ArrayNode value = Json.MAPPER.createArrayNode();
    String f = "";
    boolean busy;
    boolean applied;
    Op.Type outcome = Op.Type.OK;
    JsonNode result = Json.MAPPER.createArrayNode();
  }

  /** Returns a history of {@code ops} operations by {@code clients} clients over {@code keys}. */
  static List<Op> valid(SplittableRandom random, int ops, int clients, int keys) {
    History h = new History();
    Map<Long, Integer> register = new HashMap<>();
    List<Client> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client();
      c.process = i;
      cs.add(c);
    }
    int invoked = 0;
    long time = 0;
    while (invoked < ops || cs.stream().anyMatch(c -> c.busy)) {
      time += 1 + random.nextInt(1_000_000);
      Client c = cs.get(random.nextInt(clients));
      if (!c.busy) {
        if (invoked == ops) {
          continue;
        }
        invoked++;
        invoke(c, random, keys);
        h.append(Op.Type.INVOKE, c.f, c.value, c.process, time, null, false, null);
      } else if (!c.applied) {
        apply(c, random, register);
      } else {
        h.append(c.outcome, c.f, c.result, c.process, time, null, false, null);
        c.busy = false;
        if (c.outcome == Op.Type.INFO) {
          c.process += clients;
        }
      }
    }
    return new ArrayList<>(h.ops());
  }

  private static void invoke(Client c, SplittableRandom random, int keys) {
    c.busy = true;
    c.applied = false;
    c.value = Json.MAPPER.createArrayNode().add(random.nextInt(keys));
    int dice = random.nextInt(6);
    if (dice < 3) {
      c.f = "read";
      c.value.addNull();
    } else if (dice == 3) {
      c.f = "write";
      c.value.add(random.nextInt(5));
    } else {
      c.f = "cas";
      c.value.addArray().add(random.nextInt(5)).add(random.nextInt(5));
    }
  }

  private static void apply(Client c, SplittableRandom random, Map<Long, Integer> register) {
    c.applied = true;
    long key = c.value.get(0).longValue();
    Integer current = register.get(key);
    c.result = c.value;
    c.outcome = Op.Type.OK;
    boolean unsure = !c.f.equals("read") && random.nextInt(20) == 0;
    if (unsure && random.nextBoolean()) {
      c.outcome = Op.Type.INFO; // never took effect
      return;
    }
    switch (c.f) {
      case "read" -> {
        if (current == null) {
          c.outcome = Op.Type.FAIL;
        } else {
          c.result = Json.MAPPER.createArrayNode().add(key).add(current);
        }
      }
      case "write" -> register.put(key, c.value.get(1).intValue());
      default -> {
        if (current != null && current == c.value.get(1).get(0).intValue()) {
          register.put(key, c.value.get(1).get(1).intValue());
        } else {
          c.outcome = Op.Type.FAIL;
        }
      }
    }
    if (unsure) {
      c.outcome = Op.Type.INFO;
    }
  }

  /** Returns the history with its last ok read changed to read {@code value}. */
  static List<Op> corruptARead(List<Op> ops, int value) {
    List<Op> out = new ArrayList<>(ops);
    for (int i = out.size() - 1; i >= 0; i--) {
      Op op = out.get(i);
      if (op.type() == Op.Type.OK && op.f().equals("read") && op.value() != null) {
        JsonNode read = Json.MAPPER.createArrayNode().add(op.value().get(0)).add(value);
        out.set(
            i,
            new Op(
                op.index(),
                op.type(),
                op.f(),
                read,
                op.process(),
                op.timeNanos(),
                op.error(),
                op.isFinal(),
                op.node()));
        return out;
      }
    }
    throw new IllegalStateException("no ok read to corrupt");
  }
}
