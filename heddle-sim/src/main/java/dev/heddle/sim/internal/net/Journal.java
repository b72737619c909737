package dev.heddle.sim.internal.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the first messages of a run, with send and delivery times, for the message (Lamport)
 * diagram. Loop thread only.
 */
public final class Journal {
  /**
   * One journalled message.
   *
   * @param id the message id
   * @param src the sender
   * @param dest the receiver
   * @param type the body type
   * @param sentNanos when it was sent
   * @param body the body as JSON text, shortened
   */
  public record Entry(long id, String src, String dest, String type, long sentNanos, String body) {}

  /**
   * One delivery or drop of a journalled message.
   *
   * @param id the message id
   * @param atNanos when it was delivered or dropped
   * @param dropReason null when delivered, else why it was dropped
   */
  public record Arrival(long id, long atNanos, @Nullable String dropReason) {}

  private final int capacity;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<Long, List<Arrival>> arrivals = new HashMap<>();

  /** Keeps at most {@code capacity} messages. */
  public Journal(int capacity) {
    this.capacity = capacity;
  }

  void sent(Message m, long now) {
    if (entries.size() < capacity) {
      String body = m.body().toString();
      entries.add(
          new Entry(
              m.id(),
              m.src(),
              m.dest(),
              m.type(),
              now,
              body.length() > 300 ? body.substring(0, 300) + "…" : body));
      arrivals.put(m.id(), new ArrayList<>(1));
    }
  }

  void arrived(Message m, long now, @Nullable String dropReason) {
    List<Arrival> list = arrivals.get(m.id());
    if (list != null) {
      list.add(new Arrival(m.id(), now, dropReason));
    }
  }

  /** Returns the journalled messages in send order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Returns the deliveries and drops of a journalled message. */
  public List<Arrival> arrivals(long id) {
    return arrivals.getOrDefault(id, List.of());
  }

  /** Returns whether the journal filled up, so later messages are not in it. */
  public boolean full() {
    return entries.size() >= capacity;
  }
}
