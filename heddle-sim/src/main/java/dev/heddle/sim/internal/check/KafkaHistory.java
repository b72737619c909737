package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A kafka history read into its sends, ok polls (in completion order), commits and ok listings of
 * committed offsets. Ops whose values do not fit are left out.
 */
final class KafkaHistory {
  record Send(Checks.Pair p, String key, JsonNode msg, long offset, Op.Type type) {}

  record Entry(long offset, JsonNode msg) {}

  record Poll(Checks.Pair p, Map<String, Long> asked, Map<String, List<Entry>> msgs) {
    Op done() {
      return Objects.requireNonNull(p.completion(), "an ok poll completed");
    }
  }

  /**
   * An op about committed offsets: a commit_offsets (the offsets it asked for), or an ok
   * list_committed_offsets (the keys it asked for and the offsets it returned).
   */
  record Offsets(Checks.Pair p, Map<String, Long> offsets, List<String> keys) {}

  final List<Send> sends = new ArrayList<>();
  final List<Poll> polls = new ArrayList<>();

  /** The ok commit_offsets. */
  final List<Offsets> commits = new ArrayList<>();

  /** The commit_offsets that did not fail, in invocation order. */
  final List<Offsets> commitAsks = new ArrayList<>();

  final List<Offsets> listings = new ArrayList<>();

  KafkaHistory(List<Checks.Pair> pairs) {
    for (Checks.Pair p : pairs) {
      parse(p);
    }
    polls.sort(Comparator.comparingLong(poll -> poll.done().index()));
  }

  private void parse(Checks.Pair p) {
    Op done = p.completion();
    Op.Type type = done == null ? Op.Type.INFO : done.type();
    JsonNode inv = p.invoke().value();
    JsonNode out = type == Op.Type.OK ? Objects.requireNonNull(done).value() : null;
    switch (p.invoke().f()) {
      case "send" -> {
        if (inv == null || inv.size() != 2 || !KafkaChecker.isKey(inv.get(0))) {
          return;
        }
        long offset = -1;
        if (out != null && out.size() == 2 && KafkaChecker.isEntry(out.get(1))) {
          offset = out.get(1).get(0).asLong();
        }
        sends.add(
            new Send(p, KafkaChecker.key(inv.get(0)), Json.canonical(inv.get(1)), offset, type));
      }
      case "poll" -> {
        if (out != null && KafkaChecker.badMsgs(out) == null) {
          Map<String, List<Entry>> msgs = new TreeMap<>();
          out.properties()
              .forEach(
                  e -> {
                    List<Entry> list = new ArrayList<>();
                    e.getValue()
                        .forEach(
                            m -> list.add(new Entry(m.get(0).asLong(), Json.canonical(m.get(1)))));
                    msgs.put(e.getKey(), list);
                  });
          polls.add(new Poll(p, offsets(inv), msgs));
        }
      }
      case "commit_offsets" -> {
        if (type != Op.Type.FAIL && inv != null) {
          Offsets c = new Offsets(p, offsets(inv), List.of());
          commitAsks.add(c);
          if (type == Op.Type.OK) {
            commits.add(c);
          }
        }
      }
      case "list_committed_offsets" -> {
        if (out != null && out.isObject()) {
          Map<String, Long> returned = offsets(out);
          List<String> keys = new ArrayList<>();
          if (inv != null && inv.isArray()) {
            inv.forEach(k -> keys.add(KafkaChecker.key(k)));
          } else {
            keys.addAll(returned.keySet());
          }
          listings.add(new Offsets(p, returned, keys));
        }
      }
      default -> {}
    }
  }

  private static Map<String, Long> offsets(@Nullable JsonNode v) {
    Map<String, Long> m = new TreeMap<>();
    if (v != null && v.isObject()) {
      v.properties()
          .forEach(
              e -> {
                if (e.getValue().isIntegralNumber()) {
                  m.put(e.getKey(), e.getValue().asLong());
                }
              });
    }
    return m;
  }
}
