package dev.heddle.sim.internal.service;

import dev.heddle.sim.internal.net.Network;
import java.util.SplittableRandom;

/** Registers Maelstrom's built-in services: lin-kv, seq-kv, lww-kv and lin-tso. */
public final class Services {
  private Services() {}

  /** Creates the four services on the network; seq-kv and lww-kv draw from {@code random}. */
  public static void register(Network network, SplittableRandom random) {
    network.register(new LinKv(network));
    network.register(new SeqKv(network, random.split()));
    network.register(new LwwKv(network, random.split()));
    network.register(new LinTso(network));
  }
}
