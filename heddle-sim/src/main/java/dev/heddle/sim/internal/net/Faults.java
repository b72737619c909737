package dev.heddle.sim.internal.net;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The network faults in force right now, changed by the nemesis. They act only on messages between
 * two nodes: client and service links are never cut, as in Maelstrom. Loop thread only.
 */
public final class Faults {
  private final Map<String, Set<String>> grudges = new HashMap<>();
  double lossProbability;
  double duplicateProbability;
  long jitterNanos;

  /** Makes {@code dest} drop every message from {@code src}, at delivery time. */
  public void block(String src, String dest) {
    grudges.computeIfAbsent(dest, d -> new HashSet<>()).add(src);
  }

  /** Removes every partition. */
  public void heal() {
    grudges.clear();
  }

  /** Returns whether {@code dest} currently drops messages from {@code src}. */
  public boolean blocked(String src, String dest) {
    Set<String> g = grudges.get(dest);
    return g != null && g.contains(src);
  }

  /** Returns whether any partition is in force. */
  public boolean partitioned() {
    return !grudges.isEmpty();
  }

  /** Sets the loss probability; 0 turns loss off. */
  public void loss(double probability) {
    lossProbability = probability;
  }

  /** Sets the duplicate probability; 0 turns duplication off. */
  public void duplicate(double probability) {
    duplicateProbability = probability;
  }

  /** Sets the reorder jitter; 0 turns it off. */
  public void jitter(long nanos) {
    jitterNanos = nanos;
  }
}
