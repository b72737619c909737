package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.net.Endpoint;
import dev.heddle.sim.internal.net.Message;
import dev.heddle.sim.internal.net.Network;

/**
 * A built-in service: handles one request at a time on the loop thread and replies through the
 * network (so replies get latency), with {@code in_reply_to} and no {@code msg_id}, as Maelstrom's.
 */
abstract class Service implements Endpoint {
  private final String id;
  private final Network network;

  Service(String id, Network network) {
    this.id = id;
    this.network = network;
  }

  /** Returns the reply body for a request from {@code src}. */
  abstract ObjectNode handle(String src, ObjectNode body);

  @Override
  public final void deliver(Message m) {
    ObjectNode reply = handle(m.src(), m.body());
    long msgId = m.msgId();
    if (msgId >= 0) {
      reply.put("in_reply_to", msgId);
    }
    network.send(id, m.src(), reply, null);
  }

  static ObjectNode error(int code, String text) {
    return Json.object().put("type", "error").put("code", code).put("text", text);
  }

  static ObjectNode notSupported(ObjectNode body) {
    return error(10, "unsupported request type " + body.path("type"));
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Kind kind() {
    return Kind.SERVICE;
  }

  @Override
  public final boolean accepting() {
    return true;
  }
}
