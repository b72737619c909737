package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The anomalies the kafka checker found: counted by type, the first {@link #LISTED} of each type
 * kept with the ops involved and an explanation, which also go to {@code errors}.
 */
final class KafkaAnomalies {
  /** How many anomalies of each type are listed in full. */
  static final int LISTED = 20;

  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final ObjectNode listed = Json.object();
  private final ArrayNode errors = Json.MAPPER.createArrayNode();

  /**
   * Records an anomaly of key {@code key} and returns its object (to add details to), or null when
   * enough of the type are listed.
   */
  @org.jspecify.annotations.Nullable
  ObjectNode add(String type, String key, String explanation, Checks.Pair... ops) {
    int n = counts.merge(type, 1, Integer::sum);
    if (n > LISTED) {
      return null;
    }
    ObjectNode a = listed.withArray(type).addObject();
    a.put("type", type);
    a.put("key", key);
    ArrayNode refs = a.putArray("ops");
    for (Checks.Pair p : ops) {
      refs.add(ref(p));
    }
    a.put("explanation", explanation);
    if (errors.size() < LISTED) {
      errors.add(explanation);
    }
    return a;
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Adds {@code anomaly-types}, {@code anomalies} and {@code errors} to a result. */
  void putInto(ObjectNode r) {
    ObjectNode types = r.putObject("anomaly-types");
    counts.forEach(types::put);
    r.set("anomalies", listed);
    r.set("errors", errors);
  }

  /** A short reference to an op: function, process, outcome and where it is in the history. */
  static ObjectNode ref(Checks.Pair p) {
    ObjectNode o = Json.object();
    o.put("f", p.invoke().f());
    o.put("process", p.invoke().process());
    Op done = p.completion();
    o.put("type", done == null ? "info" : done.type().key());
    o.put("invoke-index", p.invoke().index());
    if (done != null) {
      o.put("index", done.index());
    }
    o.put("time", p.invoke().timeNanos());
    return o;
  }

  /**
   * Describes an op for an explanation, for example {@code send of 7 to key 0 by process 1 […]}.
   */
  static String describe(Checks.Pair p) {
    Op inv = p.invoke();
    Op done = p.completion();
    StringBuilder s = new StringBuilder(inv.f());
    JsonNode v = inv.value();
    if (inv.f().equals("send") && v != null && v.size() == 2) {
      s.append(" of ").append(show(v.get(1))).append(" to key ").append(KafkaChecker.key(v.get(0)));
    }
    s.append(" by process ").append(inv.process()).append(" [op ").append(inv.index());
    if (done == null || done.type() == Op.Type.INFO) {
      s.append(", invoked at t=").append(seconds(inv)).append(" s, outcome unknown]");
    } else {
      s.append('–').append(done.index());
      s.append(", t=").append(seconds(inv)).append('–').append(seconds(done)).append(" s]");
    }
    return s.toString();
  }

  static String show(JsonNode v) {
    return Json.write(Objects.requireNonNull(v));
  }

  private static String seconds(Op op) {
    return String.format(Locale.ROOT, "%.3f", op.timeNanos() / 1e9);
  }

  /** Returns the verdict: invalid when anything was found, else valid when a poll succeeded. */
  Validity validity(boolean anyPoll) {
    return !isEmpty() ? Validity.INVALID : anyPoll ? Validity.VALID : Validity.UNKNOWN;
  }
}
