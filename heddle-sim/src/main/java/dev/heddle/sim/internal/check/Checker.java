package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.history.Op;
import java.util.List;

/** Checks a history and reports Maelstrom's keys, always including {@code valid?}. */
public interface Checker {
  /** Checks the ops (client and nemesis, in order) and returns the result map. */
  ObjectNode check(List<Op> history);
}
