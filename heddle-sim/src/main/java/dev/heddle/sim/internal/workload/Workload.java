package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.check.Checker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A Maelstrom workload: what clients ask, how requests and replies look, and how the history is
 * checked. Implementations are used on the loop thread only.
 */
public interface Workload {
  /** Returns the workload's name, for example {@code broadcast}. */
  String name();

  /** Returns the next main-phase op, drawing any randomness from {@code random}. */
  OpSpec next(SplittableRandom random);

  /** Returns the op each worker performs in the final phase, or null when there is none. */
  @Nullable OpSpec finalOp();

  /** Returns the request body for an op (without msg_id). */
  ObjectNode request(OpSpec op);

  /** Returns the reply type that completes an op successfully, for example {@code read_ok}. */
  String okType(String f);

  /**
   * Returns the value an ok op records, read from the reply body, or null when the reply lacks it
   * (the op then completes as info, with a malformed-response error).
   */
  @Nullable JsonNode okValue(OpSpec op, ObjectNode reply);

  /** Returns whether {@code f} is idempotent, so a timeout or indefinite error makes it fail. */
  boolean idempotent(String f);

  /** Returns the workload's checker. */
  Checker checker();

  /**
   * Returns how long a client waits for a reply before the op times out, given the mean latency
   * between nodes; Maelstrom's default is 5 s.
   */
  default long rpcTimeoutNanos(double latencyMillis) {
    return 5_000_000_000L;
  }

  /**
   * Returns the op as worker {@code worker} performs it, for workloads whose ops depend on what
   * that worker saw (kafka's consumer positions); by default the op itself.
   */
  default OpSpec bind(OpSpec op, int worker) {
    return op;
  }

  /** Tells the workload that a worker's op completed, with its ok value (null unless ok). */
  default void completed(int worker, OpSpec op, @Nullable JsonNode okValue) {}

  /** Returns the request each worker sends its node before the main phase, or null. */
  default @Nullable ObjectNode setupRequest() {
    return null;
  }
}
