package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.history.Op;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Jepsen's kafka checker, for Maelstrom's kafka workload without transactions. It derives each
 * key's log (offset → message) from acknowledged sends and polls and reports, each with the ops
 * involved and an explanation:
 *
 * <ul>
 *   <li>{@code inconsistent-offsets}: one offset of a key holds different messages;
 *   <li>{@code duplicate}: one message of a key sits at more than one offset;
 *   <li>{@code lost-write}: an acknowledged send no poll returned, though a poll read its key past
 *       its offset;
 *   <li>{@code unseen}: an acknowledged send not even a final poll (begun after it) returned;
 *   <li>{@code G1a}: a failed send that a poll returned;
 *   <li>{@code poll-skip}: a poll whose first message of a key lies past the offset it asked for,
 *       skipping a known message; {@code int-poll-skip}: a gap over a known message inside one
 *       poll's messages of a key; {@code int-nonmonotonic-poll}: offsets that do not increase
 *       inside one poll;
 *   <li>{@code nonmonotonic-poll}: a client's poll of a key that goes back to or before what its
 *       previous poll read (unless it asked to), or before the offset it asked for;
 *   <li>{@code nonmonotonic-send}: a client's send to a key that got an offset not above its
 *       previous send's;
 *   <li>{@code nonmonotonic-committed}: list_committed_offsets returned less than a commit or a
 *       listing that completed before it began;
 *   <li>{@code committed-ahead}: list_committed_offsets returned more than any commit_offsets of
 *       the key had asked for by then.
 * </ul>
 *
 * <p>An {@code info} send may or may not have happened: it need not appear, and may. Acknowledged
 * sends that no poll returned when there were no final polls only count as {@code unseen-count}.
 */
public final class KafkaChecker implements Checker {
  /** The functions of the kafka workload. */
  static final String FUNCTIONS = "send, poll, commit_offsets or list_committed_offsets";

  @Override
  public ObjectNode check(java.util.List<Op> history) {
    return new KafkaAnalysis(Checks.pairs(history)).run();
  }

  @Override
  public @Nullable String malformed(Op op) {
    JsonNode v = op.value();
    boolean ok = op.type() == Op.Type.OK;
    if (v == null) {
      return ok || op.type() == Op.Type.INVOKE ? "a kafka " + op.f() + " needs a value" : null;
    }
    return switch (op.f()) {
      case "send" -> {
        if (!v.isArray() || v.size() != 2 || !isKey(v.get(0))) {
          yield "the value of a kafka send must be [key, msg]"
              + (ok ? " and its ok [key, [offset, msg]]" : "")
              + ", got "
              + v;
        }
        yield ok && !isEntry(v.get(1))
            ? "the ok value of a kafka send must be [key, [offset, msg]], got " + v
            : null;
      }
      case "poll" -> ok ? badMsgs(v) : badOffsets("a kafka poll", v);
      case "commit_offsets" -> badOffsets("a kafka commit_offsets", v);
      case "list_committed_offsets" -> {
        if (ok) {
          yield badOffsets("the ok of a kafka list_committed_offsets", v);
        }
        boolean keys = v.isArray();
        for (JsonNode k : v) {
          keys &= isKey(k);
        }
        yield keys ? null : "the value of a kafka list_committed_offsets must be [key…], got " + v;
      }
      default -> "unknown kafka function '" + op.f() + "' (expected " + FUNCTIONS + ")";
    };
  }

  /**
   * Returns what is wrong with a poll's {@code msgs} ({@code {key: [[offset, msg], …]}}), or null.
   */
  public static @Nullable String badMsgs(JsonNode msgs) {
    if (!msgs.isObject()) {
      return "the ok value of a kafka poll must be {key: [[offset, msg], …]}, got " + msgs;
    }
    for (Map.Entry<String, JsonNode> e : msgs.properties()) {
      boolean good = e.getValue().isArray();
      for (JsonNode entry : e.getValue()) {
        good &= isEntry(entry);
      }
      if (!good) {
        return "the messages of key "
            + e.getKey()
            + " in a kafka poll must be [[offset, msg], …], got "
            + e.getValue();
      }
    }
    return null;
  }

  /** Returns what is wrong with an offsets map ({@code {key: offset}}), or null. */
  public static @Nullable String badOffsets(String what, JsonNode offsets) {
    boolean good = offsets.isObject();
    for (JsonNode o : offsets) {
      good &= o.isIntegralNumber();
    }
    return good ? null : "the value of " + what + " must be {key: offset}, got " + offsets;
  }

  static boolean isKey(@Nullable JsonNode k) {
    return k != null && (k.isTextual() || k.isIntegralNumber());
  }

  static boolean isEntry(@Nullable JsonNode e) {
    return e != null && e.isArray() && e.size() == 2 && e.get(0).isIntegralNumber();
  }

  /** Returns a key as the string it is in offsets maps. */
  static String key(JsonNode k) {
    return k.isTextual() ? k.asText() : k.toString();
  }
}
