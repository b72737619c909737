package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.EchoChecker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** Maelstrom's echo workload: {@code echo} → {@code echo_ok} with the same value. */
final class Echo implements Workload {
  @Override
  public String name() {
    return "echo";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    return new OpSpec("echo", TextNode.valueOf("Please echo " + random.nextInt(128)), false);
  }

  @Override
  public @Nullable OpSpec finalOp() {
    return null;
  }

  @Override
  public ObjectNode request(OpSpec op) {
    ObjectNode body = Json.object().put("type", "echo");
    body.set("echo", op.value());
    return body;
  }

  @Override
  public String okType(String f) {
    return "echo_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    return reply.get("echo");
  }

  @Override
  public boolean idempotent(String f) {
    return false;
  }

  @Override
  public Checker checker() {
    return new EchoChecker();
  }
}
