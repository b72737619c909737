package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Helpers shared by the checkers: the {@code valid?} key, invoke/completion pairs, quantiles. */
public final class Checks {
  /** The quantile points Maelstrom reports. */
  public static final List<Double> POINTS = List.of(0.0, 0.5, 0.95, 0.99, 1.0);

  private Checks() {}

  /** Returns a new result map holding {@code valid?}. */
  public static ObjectNode result(Validity v) {
    ObjectNode o = Json.object();
    put(o, v);
    return o;
  }

  /** Sets {@code valid?} to true, false or "unknown". */
  public static void put(ObjectNode o, Validity v) {
    switch (v) {
      case VALID -> o.put("valid?", true);
      case INVALID -> o.put("valid?", false);
      case UNKNOWN -> o.put("valid?", "unknown");
    }
  }

  /** Reads {@code valid?} back. */
  public static Validity validity(JsonNode result) {
    JsonNode v = result.get("valid?");
    if (v != null && v.isBoolean()) {
      return Validity.of(v.booleanValue());
    }
    return Validity.UNKNOWN;
  }

  /**
   * An invocation and its completion.
   *
   * @param invoke the invoke op
   * @param completion the ok, fail or info op, or null when it never completed
   */
  public record Pair(Op invoke, @Nullable Op completion) {}

  /** Pairs each client invocation with the next completion of the same process. */
  public static List<Pair> pairs(List<Op> history) {
    List<Pair> out = new ArrayList<>();
    Map<Integer, Integer> open = new HashMap<>();
    for (Op op : history) {
      if (op.nemesis()) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        open.put(op.process(), out.size());
        out.add(new Pair(op, null));
      } else {
        Integer at = open.remove(op.process());
        if (at != null) {
          out.set(at, new Pair(out.get(at).invoke(), op));
        }
      }
    }
    return out;
  }

  /** Returns Jepsen-style quantiles of values (sorted in place) at {@link #POINTS}. */
  public static ObjectNode quantiles(List<Long> values) {
    ObjectNode o = Json.object();
    if (values.isEmpty()) {
      return o;
    }
    values.sort(null);
    int n = values.size();
    for (double q : POINTS) {
      int i = Math.min(n - 1, (int) Math.floor(q * n));
      o.put(q == 0 ? "0" : q == 1 ? "1" : Double.toString(q), values.get(i));
    }
    return o;
  }
}
