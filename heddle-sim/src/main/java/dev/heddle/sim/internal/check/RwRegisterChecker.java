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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An Elle-style checker for txn-rw-register, where each value written to a key is unique, so a read
 * names the txn whose write it saw (wr edges). A register's version order is only partly known; as
 * Elle does with writes-follow-reads, it is inferred conservatively from:
 *
 * <ul>
 *   <li>the initial state: nil comes before every version of a key;
 *   <li>writes that follow reads: a txn that read v1 of a key and then wrote v2 installed v2 after
 *       v1;
 *   <li>real time, only when strict-serializable is among the models (Elle's linearizable keys): a
 *       write that completed before another write of the key was invoked installed the earlier
 *       version.
 * </ul>
 *
 * <p>Each known version step v1 → v2 gives a ww edge from v1's writer to v2's and rw edges from
 * v1's readers to v2's writer. With real-time edges, the cycles are classified as in {@link
 * ListAppendChecker}. Besides cycles: G1a (a read of a failed txn's write), G1b (a read of another
 * txn's intermediate write), internal (a read inconsistent with the txn's own earlier read or
 * write), duplicate-write and garbage-read (a value no txn wrote).
 */
public final class RwRegisterChecker implements Checker {
  private final List<String> models;

  /** A checker for strict-serializable. */
  public RwRegisterChecker() {
    this("strict-serializable");
  }

  /**
   * A checker for the named consistency models, comma-separated (an anomaly any of them forbids
   * makes the history invalid).
   *
   * @throws IllegalArgumentException naming the known models when one is not
   */
  public RwRegisterChecker(String models) {
    this.models = Txns.models(models);
  }

  @Override
  public @Nullable String malformed(Op op) {
    return Txns.malformed(op, "txn-rw-register", "w");
  }

  /** What is known about the versions of all keys; a version is named by {@link Txns#kv}. */
  private static final class Versions {
    final Map<String, Txn> writer = new HashMap<>();
    final Set<String> intermediate = new HashSet<>();
    final Set<String> failed = new HashSet<>();
    final Map<String, List<Txn>> readers = new HashMap<>();
    final Map<String, Set<String>> next = new HashMap<>();
    final Map<String, Set<String>> nextByRealtime = new HashMap<>();
    final Map<String, List<String>> installed = new LinkedHashMap<>();

    void step(Map<String, Set<String>> steps, String from, String to) {
      if (!from.equals(to)) {
        steps.computeIfAbsent(from, _ -> new LinkedHashSet<>()).add(to);
      }
    }
  }

  @Override
  public ObjectNode check(List<Op> history) {
    Txns.Collected collected = Txns.collect(history);
    List<Txn> txns = collected.txns();
    ArrayNode anomalies = Json.MAPPER.createArrayNode();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Versions vs = new Versions();
    for (Txn t : collected.failed()) {
      for (JsonNode m : t.ops()) {
        if (isWrite(m)) {
          vs.failed.add(Txns.kv(m.get(1), m.get(2)));
        }
      }
    }
    for (Txn t : txns) {
      writes(t, vs, anomalies, counts);
    }
    for (Txn t : txns) {
      if (t.committed()) {
        reads(t, vs, anomalies, counts);
      }
    }
    vs.installed.forEach((key, ids) -> ids.forEach(id -> vs.step(vs.next, key + " null", id)));
    if (models.contains("strict-serializable")) {
      realtimeVersions(vs);
    }
    List<Map<Integer, Integer>> edges = Txns.graph(txns.size());
    for (Map.Entry<String, List<Txn>> r : vs.readers.entrySet()) {
      Txn w = vs.writer.get(r.getKey());
      if (w != null && !vs.intermediate.contains(r.getKey())) {
        for (Txn reader : r.getValue()) {
          Txns.edge(edges, w, reader, WR);
        }
      }
    }
    steps(vs, vs.next, edges, WW, RW);
    steps(vs, vs.nextByRealtime, edges, Txns.WW_RT, Txns.RW_RT);
    Txns.realtime(edges, txns);
    Txns.cycles(edges, txns, anomalies, counts);
    return Txns.result(models, counts, anomalies, txns.size());
  }

  /** Adds the edges version steps give: ww between writers, rw from readers to the next writer. */
  private static void steps(
      Versions vs,
      Map<String, Set<String>> steps,
      List<Map<Integer, Integer>> edges,
      int ww,
      int rw) {
    for (Map.Entry<String, Set<String>> e : steps.entrySet()) {
      Txn from = vs.writer.get(e.getKey());
      List<Txn> readers = vs.readers.getOrDefault(e.getKey(), List.of());
      for (String v : e.getValue()) {
        Txn to = vs.writer.get(v);
        Txns.edge(edges, from, to, ww);
        for (Txn r : readers) {
          Txns.edge(edges, r, to, rw);
        }
      }
    }
  }

  /** Records a txn's writes: the last to each key is installed, the others intermediate. */
  private static void writes(Txn t, Versions vs, ArrayNode anomalies, Map<String, Integer> counts) {
    Map<String, String> last = new LinkedHashMap<>();
    for (JsonNode m : t.ops()) {
      if (!isWrite(m)) {
        continue;
      }
      String id = Txns.kv(m.get(1), m.get(2));
      if (vs.writer.putIfAbsent(id, t) != null) {
        Txns.report(anomalies, counts, "duplicate-write", t, m);
      }
      String prev = last.put(Txns.key(m), id);
      if (prev != null) {
        vs.intermediate.add(prev);
      }
    }
    last.forEach((key, id) -> vs.installed.computeIfAbsent(key, _ -> new ArrayList<>()).add(id));
  }

  /**
   * Checks a committed txn's reads against its own earlier micro-ops, records its external reads,
   * and the version steps its writes following reads give.
   */
  private static void reads(Txn t, Versions vs, ArrayNode anomalies, Map<String, Integer> counts) {
    Map<String, String> seen = new HashMap<>(); // key -> the version this txn last read or wrote
    Map<String, String> firstRead = new HashMap<>();
    Map<String, Boolean> wrote = new HashMap<>();
    for (JsonNode m : t.ops()) {
      String key = Txns.key(m);
      String id = Txns.kv(m.get(1), m.get(2) == null ? Json.MAPPER.nullNode() : m.get(2));
      if (isWrite(m)) {
        if (!wrote.containsKey(key) && firstRead.containsKey(key)) {
          vs.step(vs.next, firstRead.get(key), finalWrite(t, key));
        }
        wrote.put(key, true);
        seen.put(key, id);
        continue;
      }
      String before = seen.get(key);
      if (before != null && !before.equals(id)) {
        Txns.report(anomalies, counts, "internal", t, m);
        continue;
      }
      seen.put(key, id);
      if (wrote.containsKey(key) || firstRead.containsKey(key)) {
        continue;
      }
      firstRead.put(key, id);
      vs.readers.computeIfAbsent(id, _ -> new ArrayList<>()).add(t);
      if (m.get(2) == null || m.get(2).isNull()) {
        continue;
      }
      Txn w = vs.writer.get(id);
      if (w == null) {
        Txns.report(anomalies, counts, vs.failed.contains(id) ? "G1a" : "garbage-read", t, m);
      } else if (w.id() != t.id() && vs.intermediate.contains(id)) {
        Txns.report(anomalies, counts, "G1b", t, m);
      }
    }
  }

  /** The version a txn finally installed for a key. */
  private static String finalWrite(Txn t, String key) {
    String id = "";
    for (JsonNode m : t.ops()) {
      if (isWrite(m) && Txns.key(m).equals(key)) {
        id = Txns.kv(m.get(1), m.get(2));
      }
    }
    return id;
  }

  /**
   * Adds the version steps real time gives (for strict-serializable): from each committed write of
   * a key to the ones invoked after it completed (only from the latest such writes; the rest follow
   * through them).
   */
  private static void realtimeVersions(Versions vs) {
    for (List<String> ids : vs.installed.values()) {
      List<Txn> ws = new ArrayList<>();
      Map<Integer, String> version = new HashMap<>();
      for (String id : ids) {
        Txn w = vs.writer.get(id);
        if (w != null && w.committed() && !vs.intermediate.contains(id)) {
          ws.add(w);
          version.put(w.id(), id);
        }
      }
      List<Txn> byEnd = new ArrayList<>(ws);
      byEnd.sort(Comparator.comparingLong(t -> t.done().timeNanos()));
      List<Txn> byStart = new ArrayList<>(ws);
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
          vs.step(
              vs.nextByRealtime,
              java.util.Objects.requireNonNull(version.get(a.id())),
              java.util.Objects.requireNonNull(version.get(b.id())));
        }
      }
    }
  }

  private static boolean isWrite(JsonNode mop) {
    return "w".equals(mop.get(0).asText());
  }
}
