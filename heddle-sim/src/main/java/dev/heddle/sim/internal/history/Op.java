package dev.heddle.sim.internal.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import org.jspecify.annotations.Nullable;

/**
 * One history entry, as a Jepsen op: an invocation or its completion by a client process, or a
 * nemesis action.
 *
 * @param index the position in the history
 * @param type invoke, ok, fail or info
 * @param f the function, for example {@code read} or {@code broadcast}
 * @param value the argument (invoke) or result (ok), may be null
 * @param process the worker's process number, or -1 for the nemesis
 * @param timeNanos when it happened, since the start of the run
 * @param error the error of a fail or info, or null
 * @param isFinal whether it belongs to the final phase (Jepsen's {@code :final?})
 * @param node the node the client talked to, or null
 */
public record Op(
    long index,
    Type type,
    String f,
    @Nullable JsonNode value,
    int process,
    long timeNanos,
    @Nullable JsonNode error,
    boolean isFinal,
    @Nullable String node) {
  /** Jepsen's op types. */
  public enum Type {
    /** The call began. */
    INVOKE,
    /** It definitely happened. */
    OK,
    /** It definitely did not happen. */
    FAIL,
    /** It may or may not have happened. */
    INFO;

    /** Returns the lower-case name, as in Jepsen. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The process number of the nemesis. */
  public static final int NEMESIS = -1;

  /** Returns whether this op is the nemesis's. */
  public boolean nemesis() {
    return process == NEMESIS;
  }

  /** Returns the op as a JSON object with Jepsen's key names. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("index", index);
    o.put("type", type.key());
    o.put("f", f);
    o.set("value", value);
    if (process == NEMESIS) {
      o.put("process", "nemesis");
    } else {
      o.put("process", process);
    }
    o.put("time", timeNanos);
    if (error != null) {
      o.set("error", error);
    }
    if (isFinal) {
      o.put("final?", true);
    }
    if (node != null) {
      o.put("node", node);
    }
    return o;
  }
}
