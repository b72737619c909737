package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.net.Endpoint;
import dev.heddle.sim.internal.net.Message;
import org.jspecify.annotations.Nullable;

/**
 * A server node as the network sees it: delivers to the current process of the node, and takes
 * nothing while the node is down (killed, exited, or being restarted). Loop thread only.
 */
public final class NodeEndpoint implements Endpoint {
  private final String id;
  @Nullable NodeProcess process;
  boolean down = true;
  boolean killed;
  boolean paused;
  int incarnations;

  NodeEndpoint(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Kind kind() {
    return Kind.NODE;
  }

  @Override
  public boolean accepting() {
    return !down && process != null;
  }

  @Override
  public void deliver(Message message) {
    NodeProcess p = process;
    if (p == null) {
      throw new IllegalStateException(
          "node " + id + " has no process; deliver only when accepting");
    }
    p.enqueue(message);
  }

  /** Returns the current process, or null before the first start. */
  public @Nullable NodeProcess process() {
    return process;
  }

  /** Returns whether the node is down. */
  public boolean down() {
    return down;
  }
}
