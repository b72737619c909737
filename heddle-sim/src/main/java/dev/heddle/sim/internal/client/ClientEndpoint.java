package dev.heddle.sim.internal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Endpoint;
import dev.heddle.sim.internal.net.Message;
import dev.heddle.sim.internal.net.Network;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A simulated client ({@code c0, c1, …}): sends requests with {@code msg_id}s counting from 1 and
 * matches replies by {@code in_reply_to}. A late reply to a request that already timed out is
 * discarded silently, as Maelstrom does; a reply to a msg_id it never sent is reported. Loop thread
 * only.
 */
public final class ClientEndpoint implements Endpoint {
  private final String id;
  private final Network network;
  private final Problems problems;
  private final Map<Long, Consumer<@Nullable ObjectNode>> pending = new HashMap<>();
  private long nextMsgId;

  /** Creates a client and registers it with the network. */
  public ClientEndpoint(String id, Network network, Problems problems) {
    this.id = id;
    this.network = network;
    this.problems = problems;
    network.register(this);
  }

  /**
   * Sends a request; {@code onReply} gets the reply body, or null when none came within the
   * timeout.
   */
  public void call(
      String dest, ObjectNode body, long timeoutNanos, Consumer<@Nullable ObjectNode> onReply) {
    long msgId = ++nextMsgId;
    body.put("msg_id", msgId);
    pending.put(msgId, onReply);
    network.send(id, dest, body, null);
    network
        .loop()
        .after(
            timeoutNanos,
            () -> {
              Consumer<@Nullable ObjectNode> waiting = pending.remove(msgId);
              if (waiting != null) {
                waiting.accept(null);
              }
            });
  }

  @Override
  public void deliver(Message m) {
    long replyTo = m.inReplyTo();
    Consumer<@Nullable ObjectNode> waiting = pending.remove(replyTo);
    if (waiting != null) {
      waiting.accept(m.body());
    } else if (replyTo < 1 || replyTo > nextMsgId) {
      problems.record(m.src(), Problems.Kind.REPLY_TO_UNKNOWN_MSG_ID, "to " + id + ": " + m.body());
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Kind kind() {
    return Kind.CLIENT;
  }

  @Override
  public boolean accepting() {
    return true;
  }
}
