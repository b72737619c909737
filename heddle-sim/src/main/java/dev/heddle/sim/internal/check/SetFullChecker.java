package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Jepsen's set-full checker. For each added element it finds when it became known (add ok, or first
 * seen by a read), the last read that saw it and the last read that did not. An element is stable
 * when the last read to miss it began before the last read to see it, and lost when a read that
 * began after it was known missed it and no later read saw it again. Latencies are in ms.
 */
public final class SetFullChecker implements Checker {
  private final String addF;

  /** Creates a checker where {@code addF} (add or broadcast) adds and {@code read} reads. */
  public SetFullChecker(String addF) {
    this.addF = addF;
  }

  private static final class Element {
    final JsonNode value;
    @Nullable Op known;
    @Nullable Op lastPresent;
    @Nullable Op lastAbsent;

    Element(JsonNode value) {
      this.value = value;
    }
  }

  @Override
  public ObjectNode check(List<Op> history) {
    Map<JsonNode, Element> elements = new LinkedHashMap<>();
    Map<Integer, Op> readInvokes = new HashMap<>();
    Map<JsonNode, Integer> duplicated = new LinkedHashMap<>();
    for (Op op : history) {
      if (op.nemesis()) {
        continue;
      }
      if (op.f().equals(addF)) {
        JsonNode added = op.value();
        if (added == null) {
          continue; // an add without an element adds nothing
        }
        JsonNode v = Json.canonical(added);
        if (op.type() == Op.Type.INVOKE) {
          elements.putIfAbsent(v, new Element(added));
        } else if (op.type() == Op.Type.OK) {
          Element e = elements.get(v);
          if (e != null && e.known == null) {
            e.known = op;
          }
        }
      } else if (op.f().equals("read")) {
        if (op.type() == Op.Type.INVOKE) {
          readInvokes.put(op.process(), op);
        } else if (op.type() == Op.Type.OK) {
          Op inv = readInvokes.get(op.process());
          JsonNode values = op.value();
          if (inv != null && values != null) {
            read(elements, duplicated, inv, op, values);
          }
        }
      }
    }
    return results(elements, duplicated);
  }

  private static void read(
      Map<JsonNode, Element> elements,
      Map<JsonNode, Integer> duplicated,
      Op inv,
      Op op,
      JsonNode values) {
    Map<JsonNode, Integer> seen = new HashMap<>();
    for (JsonNode v : values) {
      seen.merge(Json.canonical(v), 1, Integer::sum);
    }
    seen.forEach(
        (v, count) -> {
          if (count > 1) {
            duplicated.merge(v, count, Math::max);
          }
        });
    for (Map.Entry<JsonNode, Element> en : elements.entrySet()) {
      Element e = en.getValue();
      if (seen.containsKey(en.getKey())) {
        if (e.known == null) {
          e.known = op;
        }
        if (e.lastPresent == null || e.lastPresent.index() < inv.index()) {
          e.lastPresent = inv;
        }
      } else if (e.lastAbsent == null || e.lastAbsent.index() < inv.index()) {
        e.lastAbsent = inv;
      }
    }
  }

  private static ObjectNode results(
      Map<JsonNode, Element> elements, Map<JsonNode, Integer> duplicated) {
    List<Long> stableLatencies = new ArrayList<>();
    List<Long> lostLatencies = new ArrayList<>();
    ArrayNode lost = Json.MAPPER.createArrayNode();
    ArrayNode neverRead = Json.MAPPER.createArrayNode();
    List<long[]> stale = new ArrayList<>();
    List<JsonNode> staleValues = new ArrayList<>();
    int stable = 0;
    for (Element e : elements.values()) {
      long lp = e.lastPresent == null ? -1 : e.lastPresent.index();
      long la = e.lastAbsent == null ? -1 : e.lastAbsent.index();
      if (e.lastPresent != null && la < lp) {
        stable++;
        long stableTime = e.lastAbsent == null ? 0 : e.lastAbsent.timeNanos() + 1;
        Op known = Objects.requireNonNull(e.known, "a read saw it, so it is known");
        long latency = Math.max(0, stableTime - known.timeNanos()) / 1_000_000;
        stableLatencies.add(latency);
        if (latency > 0) {
          stale.add(new long[] {latency, staleValues.size()});
          staleValues.add(e.value);
        }
      } else if (e.known != null && e.lastAbsent != null && lp < la && e.known.index() < la) {
        lost.add(e.value);
        long lostTime = e.lastPresent == null ? 0 : e.lastPresent.timeNanos() + 1;
        lostLatencies.add(Math.max(0, lostTime - e.known.timeNanos()) / 1_000_000);
      } else {
        neverRead.add(e.value);
      }
    }
    Validity v =
        !lost.isEmpty() || !duplicated.isEmpty()
            ? Validity.INVALID
            : stable == 0 ? Validity.UNKNOWN : Validity.VALID;
    ObjectNode r = Checks.result(v);
    r.put("attempt-count", elements.size());
    r.put("stable-count", stable);
    r.put("lost-count", lost.size());
    r.set("lost", lost);
    r.put("never-read-count", neverRead.size());
    r.set("never-read", neverRead);
    r.put("stale-count", stale.size());
    ArrayNode staleArr = r.putArray("stale");
    staleValues.forEach(staleArr::add);
    stale.sort((a, b) -> Long.compare(b[0], a[0]));
    ArrayNode worst = r.putArray("worst-stale");
    stale.stream()
        .limit(8)
        .forEach(
            s -> {
              ObjectNode w = worst.addObject();
              w.set("element", staleValues.get((int) s[1]));
              w.put("outcome", "stable");
              w.put("stable-latency", s[0]);
            });
    r.put("duplicated-count", duplicated.size());
    ObjectNode dups = r.putObject("duplicated");
    duplicated.forEach((k, c) -> dups.put(k.toString(), c));
    r.set("stable-latencies", Checks.quantiles(stableLatencies));
    r.set("lost-latencies", Checks.quantiles(lostLatencies));
    return r;
  }
}
