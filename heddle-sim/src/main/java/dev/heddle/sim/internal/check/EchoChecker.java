package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import java.util.Objects;

/** Maelstrom's echo checker: every ok reply echoes exactly what was sent. */
public final class EchoChecker implements Checker {
  @Override
  public ObjectNode check(List<Op> history) {
    ArrayNode errors = Json.MAPPER.createArrayNode();
    for (Checks.Pair p : Checks.pairs(history)) {
      Op done = p.completion();
      if (done != null
          && done.type() == Op.Type.OK
          && !Objects.equals(p.invoke().value(), done.value())) {
        ObjectNode e = errors.addObject();
        e.put("index", done.index());
        e.set("expected", p.invoke().value());
        e.set("got", done.value());
      }
    }
    ObjectNode r = Checks.result(Validity.of(errors.isEmpty()));
    r.set("errors", errors);
    return r;
  }
}
