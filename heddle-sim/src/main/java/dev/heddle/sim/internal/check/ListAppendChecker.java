package dev.heddle.sim.internal.check;

import static dev.heddle.sim.internal.check.Txns.RW;
import static dev.heddle.sim.internal.check.Txns.WR;
import static dev.heddle.sim.internal.check.Txns.WW;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Txns.Txn;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
  private final List<String> models;

  /** A checker for strict-serializable. */
  public ListAppendChecker() {
    this("strict-serializable");
  }

  /**
   * A checker for the named consistency models, comma-separated (an anomaly any of them forbids
   * makes the history invalid).
   *
   * @throws IllegalArgumentException naming the known models when one is not
   */
  public ListAppendChecker(String models) {
    this.models = Txns.models(models);
  }

  /** Returns the anomaly kinds the named model forbids (Elle's mapping). */
  public static Set<String> forbidden(String model) {
    return Txns.forbidden(model);
  }

  @Override
  public @Nullable String malformed(Op op) {
    return Txns.malformed(op, "txn-list-append", "append");
  }

  @Override
  public ObjectNode check(List<Op> history) {
    Txns.Collected collected = Txns.collect(history);
    List<Txn> txns = collected.txns();
    List<Txn> failed = collected.failed();
    ArrayNode anomalies = Json.MAPPER.createArrayNode();
    Map<String, Integer> counts = new LinkedHashMap<>();
    // writer of (key, value) and whether it was that txn's final append to the key
    Map<String, Txn> writer = new HashMap<>();
    Map<String, Boolean> finalAppend = new HashMap<>();
    Set<String> failedWrites = new java.util.HashSet<>();
    for (Txn t : failed) {
      for (JsonNode m : t.ops()) {
        if ("append".equals(m.get(0).asText())) {
          failedWrites.add(Txns.kv(m.get(1), m.get(2)));
        }
      }
    }
    Map<String, List<JsonNode>> longest = new LinkedHashMap<>();
    Map<String, JsonNode> keyNodes = new HashMap<>();
    for (Txn t : txns) {
      Map<String, List<JsonNode>> own = new HashMap<>();
      for (JsonNode m : t.ops()) {
        String k = Txns.key(m);
        if ("append".equals(m.get(0).asText())) {
          String id = Txns.kv(m.get(1), m.get(2));
          writer.put(id, t);
          finalAppend.put(id, true);
          List<JsonNode> prev = own.computeIfAbsent(k, _ -> new ArrayList<>());
          if (!prev.isEmpty()) {
            finalAppend.put(Txns.kv(m.get(1), prev.get(prev.size() - 1)), false);
          }
          prev.add(m.get(2));
        } else if (t.committed()) {
          List<JsonNode> read = readList(m);
          if (read == null) {
            continue;
          }
          List<JsonNode> mine = own.getOrDefault(k, List.of());
          if (!mine.isEmpty()
              && (read.size() < mine.size()
                  || !read.subList(read.size() - mine.size(), read.size()).equals(mine))) {
            Txns.report(anomalies, counts, "internal", t, m);
          }
          if (new java.util.HashSet<>(read).size() != read.size()) {
            Txns.report(anomalies, counts, "duplicate-append", t, m);
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
    List<Map<Integer, Integer>> edges = Txns.graph(n);
    // ww edges
    for (Map.Entry<String, List<JsonNode>> e : longest.entrySet()) {
      JsonNode key = java.util.Objects.requireNonNull(keyNodes.get(e.getKey()));
      List<JsonNode> order = e.getValue();
      for (int i = 0; i + 1 < order.size(); i++) {
        Txn a = writer.get(Txns.kv(key, order.get(i)));
        Txn b = writer.get(Txns.kv(key, order.get(i + 1)));
        Txns.edge(edges, a, b, WW);
      }
    }
    for (Txn t : txns) {
      if (!t.committed()) {
        continue;
      }
      Map<String, Integer> ownCount = new HashMap<>();
      for (JsonNode m : t.ops()) {
        String k = Txns.key(m);
        if ("append".equals(m.get(0).asText())) {
          ownCount.merge(k, 1, Integer::sum);
          continue;
        }
        List<JsonNode> read = readList(m);
        if (read == null) {
          continue;
        }
        List<JsonNode> order = longest.getOrDefault(k, List.of());
        if (read.size() > order.size() || !order.subList(0, read.size()).equals(read)) {
          Txns.report(anomalies, counts, "incompatible-order", t, m);
          continue;
        }
        for (JsonNode v : read) {
          String id = Txns.kv(m.get(1), v);
          Txn w = writer.get(id);
          if (failedWrites.contains(id) && w == null) {
            Txns.report(anomalies, counts, "G1a", t, m);
          } else if (w != null && w.id() != t.id() && !finalAppend.getOrDefault(id, true)) {
            if (read.get(read.size() - 1).equals(v)) {
              Txns.report(anomalies, counts, "G1b", t, m);
            }
          }
        }
        int mine = ownCount.getOrDefault(k, 0);
        int seen = read.size() - mine;
        if (seen > 0) {
          Txns.edge(edges, writer.get(Txns.kv(m.get(1), read.get(seen - 1))), t, WR);
        }
        if (mine == 0 && read.size() < order.size()) {
          Txns.edge(edges, t, writer.get(Txns.kv(m.get(1), order.get(read.size()))), RW);
        }
      }
    }
    Txns.realtime(edges, txns);
    Txns.cycles(edges, txns, anomalies, counts);
    return Txns.result(models, counts, anomalies, n);
  }

  /** The list a committed read saw (null, a missing key, is empty), or null when not a list. */
  private static @Nullable List<JsonNode> readList(JsonNode mop) {
    JsonNode v = mop.get(2);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      return null;
    }
    List<JsonNode> read = new ArrayList<>(v.size());
    v.forEach(read::add);
    return read;
  }
}
