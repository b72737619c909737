package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.UniqueIdsChecker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** Maelstrom's unique-ids workload: {@code generate} → {@code generate_ok} with an {@code id}. */
final class UniqueIds implements Workload {
  @Override
  public String name() {
    return "unique-ids";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    return new OpSpec("generate", null, false);
  }

  @Override
  public @Nullable OpSpec finalOp() {
    return null;
  }

  @Override
  public ObjectNode request(OpSpec op) {
    return Json.object().put("type", "generate");
  }

  @Override
  public String okType(String f) {
    return "generate_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    return reply.get("id");
  }

  @Override
  public boolean idempotent(String f) {
    return false;
  }

  @Override
  public Checker checker() {
    return new UniqueIdsChecker();
  }
}
