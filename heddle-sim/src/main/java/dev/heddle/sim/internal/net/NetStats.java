package dev.heddle.sim.internal.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the network carried: Maelstrom's {@code :net} groups (all, clients, servers), plus
 * per-endpoint, per-type, per-second and per-drop-reason counts for the report. Loop thread only;
 * {@link #sent()} may be read from any thread for progress.
 */
public final class NetStats {
  /** Send, receive and message counts for one group of links. */
  public static final class Group {
    long sends;
    long recvs;
    long msgs;

    /** Returns the number of sends. */
    public long sends() {
      return sends;
    }

    /** Returns the number of deliveries. */
    public long recvs() {
      return recvs;
    }

    /** Returns the number of distinct messages. */
    public long msgs() {
      return msgs;
    }
  }

  private final Group all = new Group();
  private final Group clients = new Group();
  private final Group servers = new Group();
  private final Map<String, long[]> byEndpoint = new TreeMap<>();
  private final Map<String, Long> byType = new TreeMap<>();
  private final Map<String, Long> drops = new TreeMap<>();
  private final List<long[]> perSecond = new ArrayList<>();
  private volatile long sentTotal;

  void sent(Message m, boolean clientLink, long now) {
    all.sends++;
    all.msgs++;
    Group g = clientLink ? clients : servers;
    g.sends++;
    g.msgs++;
    byEndpoint.computeIfAbsent(m.src(), k -> new long[2])[0]++;
    byType.merge(
        byType.size() < 1000 || byType.containsKey(m.type()) ? m.type() : "(other types)",
        1L,
        Long::sum);
    int second = (int) (now / 1_000_000_000L);
    while (perSecond.size() <= second) {
      perSecond.add(new long[1]);
    }
    perSecond.get(second)[0]++;
    sentTotal = all.sends; // one writer (the loop thread): a plain volatile write, no ++
  }

  void received(Message m, boolean clientLink) {
    all.recvs++;
    (clientLink ? clients : servers).recvs++;
    byEndpoint.computeIfAbsent(m.dest(), k -> new long[2])[1]++;
  }

  void dropped(String reason) {
    drops.merge(reason, 1L, Long::sum);
  }

  /** Returns the total number of sends so far. Any thread. */
  public long sent() {
    return sentTotal;
  }

  /** Returns the counts over all links. */
  public Group all() {
    return all;
  }

  /** Returns the counts over links with a client at one end. */
  public Group clients() {
    return clients;
  }

  /** Returns the counts over links between nodes and services. */
  public Group servers() {
    return servers;
  }

  /** Returns {sent, received} per endpoint id. */
  public Map<String, long[]> byEndpoint() {
    return byEndpoint;
  }

  /** Returns the number of messages sent per body type. */
  public Map<String, Long> byType() {
    return byType;
  }

  /** Returns the number of dropped deliveries per reason. */
  public Map<String, Long> drops() {
    return drops;
  }

  /** Returns the number of messages sent in each second of the run. */
  public List<long[]> perSecond() {
    return perSecond;
  }
}
