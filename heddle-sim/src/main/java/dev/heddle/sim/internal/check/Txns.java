package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the Elle-style transaction checkers share: a history's transactions, the dependency graph
 * with real-time edges, the anomalies each consistency model forbids, and the verdict.
 */
final class Txns {
  static final int WW = 1;
  static final int WR = 2;
  static final int RW = 4;
  static final int RT = 8;

  /** A ww edge known only from real time (a version order strict-serializable implies). */
  static final int WW_RT = 16;

  /** An rw edge known only from real time. */
  static final int RW_RT = 32;

  /** Every kind of edge. */
  static final int ALL = WW | WR | RW | RT | WW_RT | RW_RT;

  /** The consistency models {@code --consistency-models} accepts, weakest first. */
  static final List<String> MODELS = SimConfig.CONSISTENCY_MODELS;

  /**
   * A transaction.
   *
   * @param id its node in the graph (-1 for a failed one, which is not in it)
   * @param invoke its invocation
   * @param done its completion
   * @param committed whether it completed ok (an info one may or may not have happened)
   * @param ops its micro-ops: the completion's for an ok txn, the invocation's otherwise
   */
  record Txn(int id, Op invoke, Op done, boolean committed, JsonNode ops) {}

  /**
   * A history's transactions.
   *
   * @param txns the ok and info ones, numbered from 0
   * @param failed the failed ones: they did not happen
   */
  record Collected(List<Txn> txns, List<Txn> failed) {}

  private Txns() {}

  /** Collects the txns of a history; invocations that never completed are left out. */
  static Collected collect(List<Op> history) {
    List<Txn> txns = new ArrayList<>();
    List<Txn> failed = new ArrayList<>();
    for (Checks.Pair p : Checks.pairs(history)) {
      Op done = p.completion();
      if (done == null || !"txn".equals(p.invoke().f())) {
        continue;
      }
      boolean ok = done.type() == Op.Type.OK;
      JsonNode v = ok ? done.value() : p.invoke().value();
      if (v == null) {
        continue;
      }
      if (done.type() == Op.Type.FAIL) {
        failed.add(new Txn(-1, p.invoke(), done, false, v));
      } else {
        txns.add(new Txn(txns.size(), p.invoke(), done, ok, v));
      }
    }
    return new Collected(txns, failed);
  }

  /** Returns the micro-op's key as a map key. */
  static String key(JsonNode mop) {
    return text(mop.get(1));
  }

  /** Returns a (key, value) pair as a map key. */
  static String kv(JsonNode k, JsonNode v) {
    return text(k) + " " + text(v);
  }

  /** Returns a value's canonical JSON text, without Jackson for integers (the common case). */
  static String text(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Long.toString(v.longValue());
    }
    return v.isNull() ? "null" : Json.canonical(v).toString();
  }

  /**
   * Parses a comma-separated list of consistency models.
   *
   * @throws IllegalArgumentException naming the known models when one is not
   */
  static List<String> models(String spec) {
    List<String> out = new ArrayList<>();
    for (String m : spec.split(",", -1)) {
      String name = m.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!MODELS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown consistency model '" + name + "'; known: " + String.join(", ", MODELS));
      }
      out.add(name);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no consistency model given; known: " + MODELS);
    }
    return List.copyOf(out);
  }

  /** Returns the anomaly kinds the named model forbids (Elle's mapping). */
  static Set<String> forbidden(String model) {
    Set<String> s = new LinkedHashSet<>();
    s.add("G0");
    s.add("incompatible-order");
    s.add("duplicate-append");
    s.add("duplicate-write");
    s.add("garbage-read");
    s.add("internal");
    switch (model) {
      case "read-uncommitted" -> {}
      case "read-committed" -> s.addAll(List.of("G1a", "G1b", "G1c"));
      case "repeatable-read", "snapshot-isolation" ->
          s.addAll(List.of("G1a", "G1b", "G1c", "G-single"));
      case "serializable" -> s.addAll(List.of("G1a", "G1b", "G1c", "G-single", "G2-item"));
      case "strict-serializable" -> {
        for (String k : List.of("G0", "G1c", "G-single", "G2-item")) {
          s.add(k);
          s.add(k + "-realtime");
        }
        s.addAll(List.of("G1a", "G1b"));
      }
      default -> throw new IllegalArgumentException("Unknown consistency model: " + model);
    }
    return s;
  }

  /** Returns an empty graph of n txns: for each txn, the txns it has an edge to and their kinds. */
  static List<Map<Integer, Integer>> graph(int n) {
    List<Map<Integer, Integer>> edges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      edges.add(new HashMap<>(4));
    }
    return edges;
  }

  /** Adds an edge between two distinct committed txns; does nothing otherwise. */
  static void edge(List<Map<Integer, Integer>> edges, @Nullable Txn a, @Nullable Txn b, int kind) {
    if (a != null && b != null && a.id() != b.id() && a.committed() && b.committed()) {
      edges.get(a.id()).merge(b.id(), kind, (x, y) -> x | y);
    }
  }

  /**
   * Adds real-time edges: to each txn from the ones that completed before it was invoked, keeping
   * only the latest of them (those not already preceding another such), which preserves
   * reachability.
   */
  static void realtime(List<Map<Integer, Integer>> edges, List<Txn> txns) {
    List<Txn> committed = txns.stream().filter(Txn::committed).toList();
    List<Txn> byEnd = new ArrayList<>(committed);
    byEnd.sort(Comparator.comparingLong(t -> t.done().timeNanos()));
    List<Txn> byStart = new ArrayList<>(committed);
    byStart.sort(Comparator.comparingLong(t -> t.invoke().timeNanos()));
    int j = 0;
    List<Txn> frontier = new ArrayList<>();
    for (Txn b : byStart) {
      while (j < byEnd.size() && byEnd.get(j).done().timeNanos() < b.invoke().timeNanos()) {
        Txn a = byEnd.get(j++);
        frontier.removeIf(f -> f.done().timeNanos() < a.invoke().timeNanos());
        frontier.add(a);
      }
      for (Txn a : frontier) {
        edge(edges, a, b, RT);
      }
    }
  }

  /** Records an anomaly found in one micro-op of a txn. */
  static void report(ArrayNode out, Map<String, Integer> counts, String type, Txn t, JsonNode mop) {
    counts.merge(type, 1, Integer::sum);
    ObjectNode o = out.addObject();
    o.put("type", type);
    o.put("index", t.invoke().index());
    o.set("mop", mop);
    o.set("value", t.ops());
  }

  /** Finds the cycles of the graph and reports one per strongly connected component. */
  static void cycles(
      List<Map<Integer, Integer>> edges,
      List<Txn> txns,
      ArrayNode out,
      Map<String, Integer> counts) {
    for (List<Integer> scc : Cycles.sccs(edges, null, ALL)) {
      if (scc.size() < 2) {
        continue;
      }
      Cycles.Found c = Cycles.classify(edges, scc);
      counts.merge(c.type(), 1, Integer::sum);
      ObjectNode a = out.addObject();
      a.put("type", c.type());
      ArrayNode steps = a.putArray("cycle");
      for (int i = 0; i < c.txns().size(); i++) {
        Txn t = txns.get(c.txns().get(i));
        ObjectNode s = steps.addObject();
        s.put("index", t.invoke().index());
        s.put("process", t.invoke().process());
        s.set("value", t.ops());
        s.put("edge", c.edges().get(i));
      }
    }
  }

  /** Returns the verdict: invalid when any anomaly is one a chosen model forbids. */
  static ObjectNode result(
      List<String> models, Map<String, Integer> counts, ArrayNode anomalies, int txnCount) {
    Set<String> forbidden = new LinkedHashSet<>();
    models.forEach(m -> forbidden.addAll(forbidden(m)));
    boolean bad = counts.keySet().stream().anyMatch(forbidden::contains);
    ObjectNode r = Checks.result(bad ? Validity.INVALID : Validity.VALID);
    r.put("model", String.join(",", models));
    ObjectNode types = r.putObject("anomaly-types");
    counts.forEach(types::put);
    r.set("anomalies", anomalies);
    r.put("txn-count", txnCount);
    return r;
  }

  /**
   * Returns what is wrong with a txn op's shape, or null: f must be txn and the value a list of
   * micro-ops {@code [f, key, value]} with f one of {@code r} and {@code write}.
   */
  static @Nullable String malformed(Op op, String workload, String write) {
    if (!op.f().equals("txn")) {
      return "unknown f '" + op.f() + "' for " + workload + " (expected txn)";
    }
    JsonNode v = op.value();
    if (v == null && (op.type() == Op.Type.INFO || op.type() == Op.Type.FAIL)) {
      return null; // a completion without a value: the invocation's txn is used
    }
    if (v == null || !v.isArray()) {
      return "the value of a "
          + workload
          + " txn must be a list of micro-ops [f, key, value], got "
          + v;
    }
    for (JsonNode m : v) {
      String f = m.isArray() && m.size() == 3 ? m.get(0).asText("") : "";
      if (!f.equals("r") && !f.equals(write)) {
        return "a micro-op of a "
            + workload
            + " txn must be [\"r\", key, value] or [\""
            + write
            + "\", key, value], got "
            + m;
      }
      if (f.equals(write) && m.get(2).isNull()) {
        return "a " + workload + " " + write + " needs a value, got " + m;
      }
      boolean listRead = f.equals("r") && write.equals("append") && op.type() == Op.Type.OK;
      if (listRead && !m.get(2).isArray() && !m.get(2).isNull()) {
        return "a " + workload + " read must return a list (or null), got " + m;
      }
    }
    return null;
  }
}
