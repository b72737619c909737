package dev.heddle.sim.internal.check;

import static dev.heddle.sim.internal.check.KafkaAnomalies.describe;
import static dev.heddle.sim.internal.check.KafkaAnomalies.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.check.KafkaHistory.Entry;
import dev.heddle.sim.internal.check.KafkaHistory.Poll;
import dev.heddle.sim.internal.check.KafkaHistory.Send;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** One run of the {@link KafkaChecker} over a history's invoke/completion pairs. */
final class KafkaAnalysis {

  private record Read(long offset, Poll poll) {}

  /** What the history says about one key's log. */
  private static final class KeyLog {
    final TreeMap<Long, Map<JsonNode, Checks.Pair>> byOffset = new TreeMap<>();
    final Map<JsonNode, TreeMap<Long, Checks.Pair>> byMsg = new LinkedHashMap<>();
    final Set<JsonNode> read = new HashSet<>();
    final List<Poll> readers = new ArrayList<>();
    final List<Poll> finals = new ArrayList<>();
    final List<Long> maxRead = new ArrayList<>();

    void witness(long offset, JsonNode msg, Checks.Pair p) {
      byOffset.computeIfAbsent(offset, _ -> new LinkedHashMap<>()).putIfAbsent(msg, p);
      byMsg.computeIfAbsent(msg, _ -> new TreeMap<>()).putIfAbsent(offset, p);
    }
  }

  private final KafkaHistory h;
  private final Map<String, KeyLog> logs = new TreeMap<>();
  private final KafkaAnomalies found = new KafkaAnomalies();
  private int unseen;

  KafkaAnalysis(List<Checks.Pair> pairs) {
    h = new KafkaHistory(pairs);
  }

  private KeyLog log(String key) {
    return logs.computeIfAbsent(key, _ -> new KeyLog());
  }

  ObjectNode run() {
    for (Send s : h.sends) {
      if (s.offset() >= 0) {
        log(s.key()).witness(s.offset(), s.msg(), s.p());
      }
    }
    for (Poll poll : h.polls) {
      poll.msgs()
          .forEach(
              (k, list) -> {
                KeyLog log = log(k);
                long max = log.maxRead.isEmpty() ? -1 : log.maxRead.getLast();
                for (Entry e : list) {
                  log.witness(e.offset(), e.msg(), poll.p());
                  log.read.add(e.msg());
                  max = Math.max(max, e.offset());
                }
                log.readers.add(poll);
                if (poll.p().invoke().isFinal()) {
                  log.finals.add(poll);
                }
                log.maxRead.add(max);
              });
    }
    logs.forEach(this::offsetsAndDuplicates);
    checkSends();
    checkPolls();
    new KafkaCommits(h, found).check();
    ObjectNode r = Checks.result(found.validity(!h.polls.isEmpty()));
    r.put("key-count", logs.size());
    r.put("send-count", h.sends.size());
    r.put("acknowledged-count", h.sends.stream().filter(s -> s.type() == Op.Type.OK).count());
    r.put("poll-count", h.polls.size());
    r.put("commit-count", h.commits.size());
    r.put("list-count", h.listings.size());
    r.put("unseen-count", unseen);
    found.putInto(r);
    return r;
  }

  private void offsetsAndDuplicates(String key, KeyLog log) {
    log.byOffset.forEach(
        (offset, msgs) -> {
          if (msgs.size() > 1) {
            ObjectNode a =
                found.add(
                    "inconsistent-offsets",
                    key,
                    "Offset "
                        + offset
                        + " of key "
                        + key
                        + " holds different messages: "
                        + witnesses(msgs.entrySet(), true)
                        + ".",
                    msgs.values().toArray(Checks.Pair[]::new));
            if (a != null) {
              a.put("offset", offset);
              msgs.keySet().forEach(a.withArray("values")::add);
            }
          }
        });
    log.byMsg.forEach(
        (msg, at) -> {
          if (at.size() > 1) {
            ObjectNode a =
                found.add(
                    "duplicate",
                    key,
                    "Message "
                        + show(msg)
                        + " of key "
                        + key
                        + " appears at offsets "
                        + at.entrySet().stream()
                            .map(e -> e.getKey() + " (" + witness(e.getValue()) + ")")
                            .collect(Collectors.joining(" and "))
                        + ".",
                    at.values().toArray(Checks.Pair[]::new));
            if (a != null) {
              a.set("msg", msg);
              at.keySet().forEach(a.withArray("offsets")::add);
            }
          }
        });
  }

  private static String witnesses(Iterable<Map.Entry<JsonNode, Checks.Pair>> es, boolean values) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<JsonNode, Checks.Pair> e : es) {
      out.add((values ? show(e.getKey()) + " " : "") + "(" + witness(e.getValue()) + ")");
    }
    return String.join(" and ", out);
  }

  private static String witness(Checks.Pair p) {
    return (p.invoke().f().equals("send") ? "acknowledged by " : "returned by ") + describe(p);
  }

  private void checkSends() {
    Map<String, Send> lastSend = new HashMap<>();
    for (Send s : h.sends) {
      KeyLog log = log(s.key());
      if (s.type() == Op.Type.FAIL && log.read.contains(s.msg())) {
        Map.Entry<Long, Checks.Pair> at = firstPollOf(log, s.msg());
        found.add(
            "G1a",
            s.key(),
            describe(s.p())
                + " failed, yet "
                + describe(at.getValue())
                + " returned it at offset "
                + at.getKey()
                + ".",
            s.p(),
            at.getValue());
      }
      if (s.type() != Op.Type.OK || s.offset() < 0) {
        continue;
      }
      String who = s.p().invoke().process() + " " + s.key();
      Send prev = lastSend.put(who, s);
      if (prev != null && s.offset() <= prev.offset()) {
        found.add(
            "nonmonotonic-send",
            s.key(),
            describe(s.p())
                + " got offset "
                + s.offset()
                + ", but the same process's earlier "
                + describe(prev.p())
                + " had got offset "
                + prev.offset()
                + ": a client's sends to a key must get increasing offsets.",
            prev.p(),
            s.p());
      }
      if (!log.read.contains(s.msg())) {
        lostOrUnseen(s, log);
      }
    }
  }

  private Map.Entry<Long, Checks.Pair> firstPollOf(KeyLog log, JsonNode msg) {
    TreeMap<Long, Checks.Pair> at = Objects.requireNonNull(log.byMsg.get(msg));
    for (Map.Entry<Long, Checks.Pair> e : at.entrySet()) {
      if (e.getValue().invoke().f().equals("poll")) {
        return e;
      }
    }
    return at.firstEntry();
  }

  private void lostOrUnseen(Send s, KeyLog log) {
    int i = firstPast(log.maxRead, s.offset());
    if (i >= 0) {
      Poll past = log.readers.get(i);
      found.add(
          "lost-write",
          s.key(),
          describe(s.p())
              + " was acknowledged at offset "
              + s.offset()
              + ", but no poll ever returned it, though "
              + describe(past.p())
              + " read key "
              + s.key()
              + " up to offset "
              + log.maxRead.get(i)
              + ".",
          s.p(),
          past.p());
      return;
    }
    long acked = Objects.requireNonNull(s.p().completion()).index();
    for (Poll poll : log.finals) {
      if (poll.p().invoke().index() > acked) {
        List<Entry> got = poll.msgs().getOrDefault(s.key(), List.of());
        found.add(
            "unseen",
            s.key(),
            describe(s.p())
                + " was acknowledged at offset "
                + s.offset()
                + ", but no poll returned it, not even the final "
                + describe(poll.p())
                + ", which began after it and read key "
                + s.key()
                + (got.isEmpty() ? " as empty" : " only up to offset " + got.getLast().offset())
                + ".",
            s.p(),
            poll.p());
        return;
      }
    }
    unseen++;
  }

  /** The first index whose running maximum exceeds {@code offset}, or -1. */
  private static int firstPast(List<Long> maxRead, long offset) {
    int lo = 0;
    int hi = maxRead.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (maxRead.get(mid) > offset) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo < maxRead.size() ? lo : -1;
  }

  private void checkPolls() {
    Map<String, Read> lastRead = new HashMap<>();
    for (Poll poll : h.polls) {
      for (Map.Entry<String, List<Entry>> e : poll.msgs().entrySet()) {
        String k = e.getKey();
        List<Entry> list = e.getValue();
        if (list.isEmpty()) {
          continue;
        }
        KeyLog log = log(k);
        inside(poll, k, list, log);
        Long asked = poll.asked().get(k);
        long first = list.getFirst().offset();
        if (asked != null && first > asked) {
          SortedMap<Long, Map<JsonNode, Checks.Pair>> skipped = log.byOffset.subMap(asked, first);
          if (!skipped.isEmpty()) {
            found.add(
                "poll-skip",
                k,
                describe(poll.p())
                    + " asked for key "
                    + k
                    + " from offset "
                    + asked
                    + " but returned offset "
                    + first
                    + " first, skipping "
                    + skippedText(skipped)
                    + ".",
                pollAnd(poll, skipped));
          }
        }
        String who = poll.p().invoke().process() + " " + k;
        Read prev = lastRead.put(who, new Read(list.getLast().offset(), poll));
        if (prev != null && (asked == null || asked > prev.offset()) && first <= prev.offset()) {
          found.add(
              "nonmonotonic-poll",
              k,
              describe(poll.p())
                  + " returned key "
                  + k
                  + " from offset "
                  + first
                  + ", but the same process's previous "
                  + describe(prev.poll().p())
                  + " had already read it up to offset "
                  + prev.offset()
                  + ": a client's polls must not go backwards.",
              prev.poll().p(),
              poll.p());
        } else if (asked != null && first < asked) {
          found.add(
              "nonmonotonic-poll",
              k,
              describe(poll.p())
                  + " asked for key "
                  + k
                  + " from offset "
                  + asked
                  + " but returned offset "
                  + first
                  + ", before it.",
              poll.p());
        }
      }
    }
  }

  /** Checks the order inside one poll's messages of a key. */
  private void inside(Poll poll, String k, List<Entry> list, KeyLog log) {
    for (int i = 1; i < list.size(); i++) {
      long a = list.get(i - 1).offset();
      long b = list.get(i).offset();
      if (b <= a) {
        found.add(
            "int-nonmonotonic-poll",
            k,
            describe(poll.p())
                + " returned offset "
                + a
                + " and then offset "
                + b
                + " of key "
                + k
                + ": offsets in one poll must increase.",
            poll.p());
      } else if (b > a + 1) {
        SortedMap<Long, Map<JsonNode, Checks.Pair>> skipped = log.byOffset.subMap(a + 1, b);
        if (!skipped.isEmpty()) {
          found.add(
              "int-poll-skip",
              k,
              describe(poll.p())
                  + " returned offset "
                  + a
                  + " and then offset "
                  + b
                  + " of key "
                  + k
                  + ", skipping "
                  + skippedText(skipped)
                  + ".",
              pollAnd(poll, skipped));
        }
      }
    }
  }

  private static String skippedText(SortedMap<Long, Map<JsonNode, Checks.Pair>> skipped) {
    Map.Entry<Long, Map<JsonNode, Checks.Pair>> first = skipped.entrySet().iterator().next();
    return "offset "
        + first.getKey()
        + ", which holds "
        + witnesses(first.getValue().entrySet(), true)
        + (skipped.size() > 1 ? ", and " + (skipped.size() - 1) + " more known offset(s)" : "");
  }

  private static Checks.Pair[] pollAnd(
      Poll poll, SortedMap<Long, Map<JsonNode, Checks.Pair>> skipped) {
    Checks.Pair w = skipped.values().iterator().next().values().iterator().next();
    return new Checks.Pair[] {poll.p(), w};
  }
}
