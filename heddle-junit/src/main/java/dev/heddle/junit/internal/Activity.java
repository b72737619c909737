package dev.heddle.junit.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Which harnesses are alive at once. Agents and threads carry no mark of the test that started
 * them, so a harness blames new ones on its test only when no other harness was alive meanwhile
 * (always, when tests run one at a time). Thread-safe (one lock, no I/O under it).
 */
final class Activity {
  private static final Set<Activity> ALIVE = new HashSet<>();
  private boolean overlapped;

  private Activity() {}

  /** Registers a new harness. */
  static Activity begin() {
    Activity a = new Activity();
    synchronized (ALIVE) {
      if (!ALIVE.isEmpty()) {
        a.overlapped = true;
        ALIVE.forEach(other -> other.overlapped = true);
      }
      ALIVE.add(a);
    }
    return a;
  }

  /** Ends this harness; returns whether another one was alive at any time during it. */
  boolean end() {
    synchronized (ALIVE) {
      ALIVE.remove(this);
      return overlapped;
    }
  }

  /** Whether another harness was alive at any time so far. */
  boolean overlapped() {
    synchronized (ALIVE) {
      return overlapped;
    }
  }
}
