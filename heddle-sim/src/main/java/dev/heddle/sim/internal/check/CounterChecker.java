package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * Maelstrom's counter checker: every ok final read must lie in the acceptable set, the sum of all
 * ok adds plus any subset of the adds whose outcome is unknown (info, or never completed). With no
 * ok final read the verdict is unknown.
 */
public final class CounterChecker implements Checker {
  @Override
  public ObjectNode check(List<Op> history) {
    long sum = 0;
    List<Long> unsure = new java.util.ArrayList<>();
    ArrayNode finalReads = Json.MAPPER.createArrayNode();
    List<Op> reads = new java.util.ArrayList<>();
    for (Checks.Pair p : Checks.pairs(history)) {
      Op done = p.completion();
      if (p.invoke().f().equals("add")) {
        long delta = Objects.requireNonNull(p.invoke().value(), "an add has a delta").longValue();
        if (done == null || done.type() == Op.Type.INFO) {
          unsure.add(delta);
        } else if (done.type() == Op.Type.OK) {
          sum += delta;
        }
      } else if (done != null
          && done.type() == Op.Type.OK
          && done.isFinal()
          && p.invoke().f().equals("read")) {
        reads.add(done);
        finalReads.add(done.value());
      }
    }
    RangeSet acceptable = new RangeSet(sum);
    for (long d : unsure) {
      acceptable.unionShifted(d);
    }
    ArrayNode errors = Json.MAPPER.createArrayNode();
    for (Op read : reads) {
      if (!acceptable.contains(
          Objects.requireNonNull(read.value(), "an ok read has a value").longValue())) {
        errors.add(read.toJson());
      }
    }
    Validity v =
        !errors.isEmpty() ? Validity.INVALID : reads.isEmpty() ? Validity.UNKNOWN : Validity.VALID;
    ObjectNode r = Checks.result(v);
    r.set("errors", errors);
    r.set("final-reads", finalReads);
    ArrayNode acc = r.putArray("acceptable");
    acceptable.ranges().forEach(range -> acc.addArray().add(range[0]).add(range[1]));
    return r;
  }
}
