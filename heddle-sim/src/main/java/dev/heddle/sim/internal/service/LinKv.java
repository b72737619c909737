package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.net.Network;
import java.util.HashMap;
import java.util.Map;

/** {@code lin-kv}: a linearizable key-value store (one map, one request at a time). */
final class LinKv extends Service {
  private final Map<JsonNode, JsonNode> state = new HashMap<>();

  LinKv(Network network) {
    super("lin-kv", network);
  }

  @Override
  ObjectNode handle(String src, ObjectNode body) {
    return KvOps.apply(state, body, true);
  }
}
