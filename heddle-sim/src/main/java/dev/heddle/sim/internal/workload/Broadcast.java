package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.SetFullChecker;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's broadcast workload: {@code topology} at setup, then a 50/50 mix of {@code broadcast}
 * of 0, 1, 2, … and {@code read} ({@code messages}), and a final read per worker. Checked by
 * set-full with broadcast as add.
 */
final class Broadcast implements Workload {
  private final Map<String, List<String>> topology;
  private long nextValue;

  Broadcast(Map<String, List<String>> topology) {
    this.topology = topology;
  }

  @Override
  public String name() {
    return "broadcast";
  }

  @Override
  public ObjectNode setupRequest() {
    ObjectNode body = Json.object().put("type", "topology");
    body.set("topology", Json.MAPPER.valueToTree(topology));
    return body;
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    return random.nextBoolean()
        ? new OpSpec("broadcast", LongNode.valueOf(nextValue++), false)
        : new OpSpec("read", null, false);
  }

  @Override
  public OpSpec finalOp() {
    return new OpSpec("read", null, true);
  }

  @Override
  public ObjectNode request(OpSpec op) {
    if (op.f().equals("broadcast")) {
      ObjectNode body = Json.object().put("type", "broadcast");
      body.set("message", op.value());
      return body;
    }
    return Json.object().put("type", "read");
  }

  @Override
  public String okType(String f) {
    return f.equals("broadcast") ? "broadcast_ok" : "read_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    return op.f().equals("broadcast") ? op.value() : arrayOrNull(reply.get("messages"));
  }

  static @Nullable JsonNode arrayOrNull(@Nullable JsonNode v) {
    return v != null && v.isArray() ? v : null;
  }

  @Override
  public boolean idempotent(String f) {
    return f.equals("read");
  }

  @Override
  public Checker checker() {
    return new SetFullChecker("broadcast");
  }
}
