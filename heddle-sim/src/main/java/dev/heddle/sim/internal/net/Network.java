package dev.heddle.sim.internal.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.loop.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulated network: every message is sent here, gets an id and a delivery time, waits in the
 * loop's time-ordered queue and is delivered unless a fault drops it. Latency is zero when a client
 * is at either end, as in Maelstrom. Partitions are checked at delivery time. Loss, duplication and
 * reordering act only between two nodes. Loop thread only.
 */
public final class Network {
  private final EventLoop loop;
  private final SplittableRandom random;
  private final Latency latency;
  private final Problems problems;
  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final Faults faults = new Faults();
  private final NetStats stats = new NetStats();
  private final Journal journal;
  private final Lag lag = new Lag();
  private long nextId;

  /** Creates a network drawing latencies and faults from {@code random}. */
  public Network(
      EventLoop loop,
      SplittableRandom random,
      Latency latency,
      Problems problems,
      int journalCapacity) {
    this.loop = loop;
    this.random = random;
    this.latency = latency;
    this.problems = problems;
    this.journal = new Journal(journalCapacity);
  }

  /** Adds or replaces an endpoint. */
  public void register(Endpoint endpoint) {
    endpoints.put(endpoint.id(), endpoint);
  }

  /** Returns the endpoint with this id, or null. */
  public @Nullable Endpoint endpoint(String id) {
    return endpoints.get(id);
  }

  /**
   * Sends a message; {@code raw} is the sender's line when it came from a node process, so it can
   * be forwarded without re-encoding.
   */
  public void send(String src, String dest, ObjectNode body, byte @Nullable [] raw) {
    long now = loop.now();
    Message m = new Message(++nextId, src, dest, body, raw);
    Endpoint to = endpoints.get(dest);
    Endpoint from = endpoints.get(src);
    boolean clientLink = isClient(from, src) || isClient(to, dest);
    stats.sent(m, clientLink, now);
    journal.sent(m, now);
    if (to == null) {
      problems.record(src, Problems.Kind.UNKNOWN_DESTINATION, "to '" + dest + "': " + body);
      drop(m, now, "unknown-destination");
      return;
    }
    boolean betweenNodes =
        from != null && from.kind() == Endpoint.Kind.NODE && to.kind() == Endpoint.Kind.NODE;
    if (betweenNodes
        && faults.lossProbability > 0
        && random.nextDouble() < faults.lossProbability) {
      drop(m, now, "loss");
      return;
    }
    schedule(m, now, clientLink, betweenNodes);
    if (betweenNodes
        && faults.duplicateProbability > 0
        && random.nextDouble() < faults.duplicateProbability) {
      schedule(m, now, clientLink, true);
    }
  }

  private void schedule(Message m, long now, boolean clientLink, boolean betweenNodes) {
    long delay = clientLink ? 0 : latency.drawNanos(random);
    if (betweenNodes && faults.jitterNanos > 0) {
      delay += random.nextLong(faults.jitterNanos + 1);
    }
    long at = now + delay;
    loop.at(at, () -> deliver(m, clientLink, at));
  }

  private void deliver(Message m, boolean clientLink, long scheduled) {
    long now = loop.now();
    lag.record(now - scheduled);
    if (faults.blocked(m.src(), m.dest())) {
      drop(m, now, "partition");
      return;
    }
    Endpoint to = endpoints.get(m.dest());
    if (to == null || !to.accepting()) {
      drop(m, now, "receiver-down");
      return;
    }
    stats.received(m, clientLink);
    journal.arrived(m, now, null);
    to.deliver(m);
  }

  private void drop(Message m, long now, String reason) {
    stats.dropped(reason);
    journal.arrived(m, now, reason);
  }

  private static boolean isClient(@Nullable Endpoint e, String id) {
    return e != null ? e.kind() == Endpoint.Kind.CLIENT : id.startsWith("c");
  }

  /** Returns the faults in force, for the nemesis to change. */
  public Faults faults() {
    return faults;
  }

  /** Returns the counters. */
  public NetStats stats() {
    return stats;
  }

  /** Returns how late deliveries were. */
  public Lag lag() {
    return lag;
  }

  /** Returns the journal of the first messages. */
  public Journal journal() {
    return journal;
  }

  /** Returns the loop this network runs on. */
  public EventLoop loop() {
    return loop;
  }
}
