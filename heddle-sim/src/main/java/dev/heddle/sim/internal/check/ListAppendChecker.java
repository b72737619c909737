package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An Elle-style checker for txn-list-append: infers each key's version order from its longest read,
 * builds ww, wr, rw and real-time edges between committed transactions, and reports G1a, G1b,
 * internal, incompatible-order, duplicate-append and cycle anomalies (G0, G1c, G-single, G2-item,
 * with a {@code -realtime} suffix when a real-time edge is needed). The verdict is invalid only for
 * anomalies the chosen consistency model forbids.
 */
public final class ListAppendChecker implements Checker {
  private static final int WW = 1;
  private static final int WR = 2;
  private static final int RW = 4;
  private static final int RT = 8;

  private final String model;

  /** A checker for strict-serializable. */
  public ListAppendChecker() {
    this("strict-serializable");
  }

  /** A checker for the named consistency model. */
  public ListAppendChecker(String model) {
    var _ = forbidden(model);
    this.model = model;
  }

  /** Returns the anomaly kinds the named model forbids (Elle's mapping). */
  public static Set<String> forbidden(String model) {
    Set<String> s = new LinkedHashSet<>();
    s.add("G0");
    s.add("incompatible-order");
    s.add("duplicate-append");
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

  private record Txn(int id, Op invoke, Op done, boolean committed, JsonNode ops) {}

  @Override
  public ObjectNode check(List<Op> history) {
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
    ArrayNode anomalies = Json.MAPPER.createArrayNode();
    Map<String, Integer> counts = new LinkedHashMap<>();
    // writer of (key, value) and whether it was that txn's final append to the key
    Map<String, Txn> writer = new HashMap<>();
    Map<String, Boolean> finalAppend = new HashMap<>();
    Set<String> failedWrites = new java.util.HashSet<>();
    for (Txn t : failed) {
      for (JsonNode m : t.ops()) {
        if ("append".equals(m.get(0).asText())) {
          failedWrites.add(kv(m.get(1), m.get(2)));
        }
      }
    }
    Map<String, List<JsonNode>> longest = new LinkedHashMap<>();
    Map<String, JsonNode> keyNodes = new HashMap<>();
    for (Txn t : txns) {
      Map<String, List<JsonNode>> own = new HashMap<>();
      for (JsonNode m : t.ops()) {
        String k = Json.canonical(m.get(1)).toString();
        if ("append".equals(m.get(0).asText())) {
          String id = kv(m.get(1), m.get(2));
          writer.put(id, t);
          finalAppend.put(id, true);
          List<JsonNode> prev = own.computeIfAbsent(k, _ -> new ArrayList<>());
          if (!prev.isEmpty()) {
            finalAppend.put(kv(m.get(1), prev.get(prev.size() - 1)), false);
          }
          prev.add(m.get(2));
        } else if (t.committed() && m.get(2) != null && m.get(2).isArray()) {
          List<JsonNode> read = new ArrayList<>();
          m.get(2).forEach(read::add);
          List<JsonNode> mine = own.getOrDefault(k, List.of());
          if (!mine.isEmpty()
              && (read.size() < mine.size()
                  || !read.subList(read.size() - mine.size(), read.size()).equals(mine))) {
            report(anomalies, counts, "internal", t, m);
          }
          if (new java.util.HashSet<>(read).size() != read.size()) {
            report(anomalies, counts, "duplicate-append", t, m);
          }
          keyNodes.put(k, m.get(1));
          List<JsonNode> l = longest.get(k);
          if (l == null || read.size() > l.size()) {
            longest.put(k, read);
          }
        }
      }
    }
    int n = txns.size();
    List<Map<Integer, Integer>> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      edges.add(new HashMap<>());
    }
    // ww edges
    for (Map.Entry<String, List<JsonNode>> e : longest.entrySet()) {
      JsonNode key = java.util.Objects.requireNonNull(keyNodes.get(e.getKey()));
      List<JsonNode> order = e.getValue();
      for (int i = 0; i + 1 < order.size(); i++) {
        Txn a = writer.get(kv(key, order.get(i)));
        Txn b = writer.get(kv(key, order.get(i + 1)));
        edge(edges, a, b, WW);
      }
    }
    for (Txn t : txns) {
      if (!t.committed()) {
        continue;
      }
      Map<String, Integer> ownCount = new HashMap<>();
      for (JsonNode m : t.ops()) {
        String k = Json.canonical(m.get(1)).toString();
        if ("append".equals(m.get(0).asText())) {
          ownCount.merge(k, 1, Integer::sum);
          continue;
        }
        if (m.get(2) == null || !m.get(2).isArray()) {
          continue;
        }
        List<JsonNode> read = new ArrayList<>();
        m.get(2).forEach(read::add);
        List<JsonNode> order = longest.getOrDefault(k, List.of());
        if (read.size() > order.size() || !order.subList(0, read.size()).equals(read)) {
          report(anomalies, counts, "incompatible-order", t, m);
          continue;
        }
        for (JsonNode v : read) {
          String id = kv(m.get(1), v);
          Txn w = writer.get(id);
          if (failedWrites.contains(id) && w == null) {
            report(anomalies, counts, "G1a", t, m);
          } else if (w != null && w.id() != t.id() && !finalAppend.getOrDefault(id, true)) {
            if (read.get(read.size() - 1).equals(v)) {
              report(anomalies, counts, "G1b", t, m);
            }
          }
        }
        int mine = ownCount.getOrDefault(k, 0);
        int seen = read.size() - mine;
        if (seen > 0) {
          edge(edges, writer.get(kv(m.get(1), read.get(seen - 1))), t, WR);
        }
        if (mine == 0 && read.size() < order.size()) {
          edge(edges, t, writer.get(kv(m.get(1), order.get(read.size()))), RW);
        }
      }
    }
    // real-time edges: to each txn from those completed before it was invoked (transitively
    // reduced by keeping only the latest-completing frontier would be cheaper; kept simple here)
    List<Txn> byEnd = new ArrayList<>(txns);
    byEnd.sort(java.util.Comparator.comparingLong(t -> t.done().timeNanos()));
    List<Txn> byStart = new ArrayList<>(txns);
    byStart.sort(java.util.Comparator.comparingLong(t -> t.invoke().timeNanos()));
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
    for (List<Integer> scc : Tarjan.sccs(edges)) {
      if (scc.size() < 2) {
        continue;
      }
      List<Integer> cycle = shortestCycle(edges, scc);
      int rw = 0;
      int wr = 0;
      boolean rt = false;
      ArrayNode steps = Json.MAPPER.createArrayNode();
      for (int i = 0; i < cycle.size(); i++) {
        int a = cycle.get(i);
        int b = cycle.get((i + 1) % cycle.size());
        int kind = java.util.Objects.requireNonNull(edges.get(a).get(b));
        ObjectNode s = steps.addObject();
        s.put("index", txns.get(a).invoke().index());
        s.set("value", txns.get(a).ops());
        if ((kind & (WW | WR | RW)) == 0) {
          rt = true;
          s.put("edge", "realtime");
        } else if ((kind & WW) != 0) {
          s.put("edge", "ww");
        } else if ((kind & WR) != 0) {
          wr++;
          s.put("edge", "wr");
        } else {
          rw++;
          s.put("edge", "rw");
        }
      }
      String type = rw == 1 ? "G-single" : rw > 1 ? "G2-item" : wr > 0 ? "G1c" : "G0";
      if (rt) {
        type += "-realtime";
      }
      counts.merge(type, 1, Integer::sum);
      ObjectNode a = anomalies.addObject();
      a.put("type", type);
      a.set("cycle", steps);
    }
    Set<String> forbidden = forbidden(model);
    boolean bad = counts.keySet().stream().anyMatch(forbidden::contains);
    ObjectNode r = Checks.result(bad ? Validity.INVALID : Validity.VALID);
    r.put("model", model);
    ObjectNode types = r.putObject("anomaly-types");
    counts.forEach(types::put);
    r.set("anomalies", anomalies);
    r.put("txn-count", n);
    return r;
  }

  private static String kv(JsonNode k, JsonNode v) {
    return Json.canonical(k) + " " + Json.canonical(v);
  }

  private static void edge(
      List<Map<Integer, Integer>> edges, @Nullable Txn a, @Nullable Txn b, int kind) {
    if (a != null && b != null && a.id() != b.id() && a.committed() && b.committed()) {
      edges.get(a.id()).merge(b.id(), kind, (x, y) -> x | y);
    }
  }

  private static void report(
      ArrayNode out, Map<String, Integer> counts, String type, Txn t, JsonNode mop) {
    counts.merge(type, 1, Integer::sum);
    ObjectNode o = out.addObject();
    o.put("type", type);
    o.put("index", t.invoke().index());
    o.set("mop", mop);
    o.set("value", t.ops());
  }

  /** A shortest cycle inside the SCC, preferring one without real-time edges. */
  private static List<Integer> shortestCycle(List<Map<Integer, Integer>> edges, List<Integer> scc) {
    Set<Integer> in = new java.util.HashSet<>(scc);
    List<Integer> best = List.of();
    for (int mask : new int[] {WW | WR | RW, WW | WR | RW | RT}) {
      for (int start : scc) {
        Map<Integer, Integer> parent = new HashMap<>();
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(start);
        parent.put(start, -1);
        @Nullable List<Integer> found = null;
        while (!q.isEmpty() && found == null) {
          int u = q.poll();
          for (Map.Entry<Integer, Integer> e : edges.get(u).entrySet()) {
            int w = e.getKey();
            if (!in.contains(w) || (e.getValue() & mask) == 0) {
              continue;
            }
            if (w == start) {
              List<Integer> c = new ArrayList<>();
              for (int x = u; x != -1; x = java.util.Objects.requireNonNull(parent.get(x))) {
                c.add(0, x);
              }
              found = c;
              break;
            }
            if (parent.putIfAbsent(w, u) == null) {
              q.add(w);
            }
          }
        }
        if (found != null && (best.isEmpty() || found.size() < best.size())) {
          best = found;
        }
      }
      if (!best.isEmpty()) {
        return best;
      }
    }
    return best;
  }

  /** Iterative Tarjan SCC. */
  private static final class Tarjan {
    static List<List<Integer>> sccs(List<Map<Integer, Integer>> g) {
      int n = g.size();
      int[] index = new int[n];
      int[] low = new int[n];
      boolean[] on = new boolean[n];
      java.util.Arrays.fill(index, -1);
      ArrayDeque<Integer> stack = new ArrayDeque<>();
      List<List<Integer>> out = new ArrayList<>();
      int counter = 0;
      List<List<Integer>> adj = new ArrayList<>();
      for (Map<Integer, Integer> m : g) {
        adj.add(new ArrayList<>(m.keySet()));
      }
      int[] it = new int[n];
      ArrayDeque<Integer> call = new ArrayDeque<>();
      for (int s = 0; s < n; s++) {
        if (index[s] != -1) {
          continue;
        }
        call.push(s);
        index[s] = low[s] = counter++;
        stack.push(s);
        on[s] = true;
        while (!call.isEmpty()) {
          int v = call.peek();
          if (it[v] < adj.get(v).size()) {
            int w = adj.get(v).get(it[v]++);
            if (index[w] == -1) {
              index[w] = low[w] = counter++;
              stack.push(w);
              on[w] = true;
              call.push(w);
            } else if (on[w]) {
              low[v] = Math.min(low[v], index[w]);
            }
          } else {
            call.pop();
            if (!call.isEmpty()) {
              int p = call.peek();
              low[p] = Math.min(low[p], low[v]);
            }
            if (low[v] == index[v]) {
              List<Integer> c = new ArrayList<>();
              int w;
              do {
                w = stack.pop();
                on[w] = false;
                c.add(w);
              } while (w != v);
              out.add(c);
            }
          }
        }
      }
      return out;
    }
  }
}
