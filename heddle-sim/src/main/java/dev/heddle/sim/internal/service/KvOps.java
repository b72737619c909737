package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import java.util.Map;

/** The key-value operations (read, write, cas) on one map, with Maelstrom's errors. */
final class KvOps {
  private KvOps() {}

  /** Returns whether the request only reads. */
  static boolean readOnly(ObjectNode body) {
    return "read".equals(Json.text(body, "type"));
  }

  /** Applies a request to {@code state} (which a write or cas changes) and returns the reply. */
  static ObjectNode apply(Map<JsonNode, JsonNode> state, ObjectNode body, boolean honourCreate) {
    String type = String.valueOf(Json.text(body, "type"));
    JsonNode key = body.get("key");
    if (key == null) {
      return Service.error(12, "request has no key");
    }
    key = Json.canonical(key);
    return switch (type) {
      case "read" -> read(state, key);
      case "write" -> {
        state.put(key, body.path("value"));
        yield Json.object().put("type", "write_ok");
      }
      case "cas" -> cas(state, key, body, honourCreate);
      default -> Service.notSupported(body);
    };
  }

  private static ObjectNode read(Map<JsonNode, JsonNode> state, JsonNode key) {
    JsonNode v = state.get(key);
    if (v == null) {
      return Service.error(20, "key does not exist");
    }
    ObjectNode r = Json.object().put("type", "read_ok");
    r.set("value", v);
    return r;
  }

  private static ObjectNode cas(
      Map<JsonNode, JsonNode> state, JsonNode key, ObjectNode body, boolean honourCreate) {
    JsonNode current = state.get(key);
    JsonNode from = body.path("from");
    if (current == null) {
      if (honourCreate && body.path("create_if_not_exists").asBoolean(false)) {
        state.put(key, body.path("to"));
        return Json.object().put("type", "cas_ok");
      }
      return Service.error(20, "key does not exist");
    }
    if (!Json.canonical(current).equals(Json.canonical(from))) {
      return Service.error(22, "current value " + current + " is not " + from);
    }
    state.put(key, body.path("to"));
    return Json.object().put("type", "cas_ok");
  }
}
