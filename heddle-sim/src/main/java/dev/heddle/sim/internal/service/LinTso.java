package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.net.Network;

/** {@code lin-tso}: a linearizable timestamp oracle; {@code ts} returns 0, 1, 2, …. */
final class LinTso extends Service {
  private long next;

  LinTso(Network network) {
    super("lin-tso", network);
  }

  @Override
  ObjectNode handle(String src, ObjectNode body) {
    if (!"ts".equals(Json.text(body, "type"))) {
      return notSupported(body);
    }
    return Json.object().put("type", "ts_ok").put("ts", next++);
  }
}
