package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.SetFullChecker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's g-set workload: {@code add} of {@code element} 0, 1, 2, … and {@code read}, whose
 * reply holds {@code value} (the doc's "elements" is wrong). Checked by set-full.
 */
final class GSet implements Workload {
  private long nextValue;

  @Override
  public String name() {
    return "g-set";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    return random.nextBoolean()
        ? new OpSpec("add", LongNode.valueOf(nextValue++), false)
        : new OpSpec("read", null, false);
  }

  @Override
  public OpSpec finalOp() {
    return new OpSpec("read", null, true);
  }

  @Override
  public ObjectNode request(OpSpec op) {
    if (op.f().equals("add")) {
      ObjectNode body = Json.object().put("type", "add");
      body.set("element", op.value());
      return body;
    }
    return Json.object().put("type", "read");
  }

  @Override
  public String okType(String f) {
    return f.equals("add") ? "add_ok" : "read_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    return op.f().equals("add") ? op.value() : Broadcast.arrayOrNull(reply.get("value"));
  }

  @Override
  public boolean idempotent(String f) {
    return f.equals("read");
  }

  @Override
  public Checker checker() {
    return new SetFullChecker("add");
  }
}
