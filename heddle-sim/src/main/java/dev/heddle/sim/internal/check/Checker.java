package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Checks a history and reports Maelstrom's keys, always including {@code valid?}. */
public interface Checker {
  /** Checks the ops (client and nemesis, in order) and returns the result map. */
  ObjectNode check(List<Op> history);

  /**
   * Returns what is wrong with a client op's shape for this workload (its f or value), or null when
   * it is well formed. Histories recorded elsewhere are checked with it line by line.
   */
  default @Nullable String malformed(Op op) {
    return null;
  }
}
