package dev.heddle.sim.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.workload.OpSpec;
import dev.heddle.sim.internal.workload.Workload;
import org.jspecify.annotations.Nullable;

/**
 * Turns a reply (or its absence) into a completion, with Maelstrom's rules: a timeout or an
 * indefinite error is {@code info} unless the function is idempotent, in which case it is {@code
 * fail}; a definite error is {@code fail}.
 */
final class Outcomes {
  /**
   * A completion.
   *
   * @param type ok, fail or info
   * @param value the ok value, or null
   * @param error the error, or null
   * @param unexpected whether the reply did not fit the workload's schema
   */
  record Completion(
      Op.Type type, @Nullable JsonNode value, @Nullable JsonNode error, boolean unexpected) {}

  private Outcomes() {}

  static Completion of(Workload workload, OpSpec op, @Nullable ObjectNode reply) {
    boolean idempotent = workload.idempotent(op.f());
    Op.Type unsure = idempotent ? Op.Type.FAIL : Op.Type.INFO;
    if (reply == null) {
      return new Completion(unsure, null, TextNode.valueOf("net-timeout"), false);
    }
    String type = String.valueOf(Json.text(reply, "type"));
    if (type.equals("error")) {
      int code = reply.path("code").asInt(13);
      ArrayNode error =
          Json.MAPPER
              .createArrayNode()
              .add(ErrorCodes.name(code))
              .add(reply.path("text").asText(""));
      return new Completion(ErrorCodes.definite(code) ? Op.Type.FAIL : unsure, null, error, false);
    }
    if (type.equals(workload.okType(op.f()))) {
      JsonNode value = workload.okValue(op, reply);
      if (value != null) {
        return new Completion(Op.Type.OK, value, null, false);
      }
    }
    ArrayNode error = Json.MAPPER.createArrayNode().add("malformed-response").add(reply.toString());
    return new Completion(Op.Type.INFO, null, error, true);
  }
}
