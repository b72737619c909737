package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.CounterChecker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's g-counter and pn-counter workloads: {@code add} of {@code delta} (pn: -5..4; g: 0..4)
 * and {@code read} of an integer {@code value}, then a final read per worker. Checked against the
 * acceptable range.
 */
final class Counter implements Workload {
  private final boolean negatives;

  Counter(boolean negatives) {
    this.negatives = negatives;
  }

  @Override
  public String name() {
    return negatives ? "pn-counter" : "g-counter";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    if (random.nextBoolean()) {
      return new OpSpec("read", null, false);
    }
    long delta = negatives ? random.nextInt(10) - 5 : random.nextInt(5);
    return new OpSpec("add", LongNode.valueOf(delta), false);
  }

  @Override
  public OpSpec finalOp() {
    return new OpSpec("read", null, true);
  }

  @Override
  public ObjectNode request(OpSpec op) {
    if (op.f().equals("add")) {
      ObjectNode body = Json.object().put("type", "add");
      body.set("delta", op.value());
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
    if (op.f().equals("add")) {
      return op.value();
    }
    JsonNode v = reply.get("value");
    return v != null && v.isIntegralNumber() ? v : null;
  }

  @Override
  public boolean idempotent(String f) {
    return f.equals("read");
  }

  @Override
  public Checker checker() {
    return new CounterChecker();
  }
}
