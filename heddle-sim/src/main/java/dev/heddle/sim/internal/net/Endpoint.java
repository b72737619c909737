package dev.heddle.sim.internal.net;

/** Something the network delivers messages to: a node process, a client or a service. */
public interface Endpoint {
  /** The kinds of endpoint; faults act only between two nodes. */
  enum Kind {
    NODE,
    CLIENT,
    SERVICE
  }

  /** Returns this endpoint's id, for example {@code n0}, {@code c3} or {@code lin-kv}. */
  String id();

  /** Returns what kind of endpoint this is. */
  Kind kind();

  /** Returns whether a message can be delivered now (a killed node cannot take one). */
  boolean accepting();

  /** Takes a message. Called on the loop thread; must not block. */
  void deliver(Message message);
}
