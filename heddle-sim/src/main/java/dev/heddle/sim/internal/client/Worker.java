package dev.heddle.sim.internal.client;

/**
 * One client worker (a Jepsen "process"): talks to one node through its client and runs one op at a
 * time. Its process number grows by the concurrency after an indefinite (info) op, as in Jepsen.
 * Loop thread only.
 */
final class Worker {
  final int index;
  final ClientEndpoint client;
  final String node;
  int process;
  boolean busy;

  Worker(int index, ClientEndpoint client, String node) {
    this.index = index;
    this.client = client;
    this.node = node;
    this.process = index;
  }
}
