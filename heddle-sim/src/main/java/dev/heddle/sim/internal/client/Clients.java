package dev.heddle.sim.internal.client;

import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Network;

/** Hands out client endpoints named {@code c0, c1, …} in order. Loop thread only. */
public final class Clients {
  private final Network network;
  private final Problems problems;
  private int next;

  /** Creates a factory for clients on this network. */
  public Clients(Network network, Problems problems) {
    this.network = network;
    this.problems = problems;
  }

  /** Creates and registers the next client. */
  public ClientEndpoint open() {
    return new ClientEndpoint("c" + next++, network, problems);
  }
}
