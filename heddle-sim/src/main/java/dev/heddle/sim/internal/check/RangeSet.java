package dev.heddle.sim.internal.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of closed integer ranges that merges overlapping ones, as Guava's TreeRangeSet of closed
 * ranges does (touching but not overlapping ranges such as [0,0] and [1,1] stay apart).
 */
final class RangeSet {
  private List<long[]> ranges = new ArrayList<>();

  RangeSet(long point) {
    ranges.add(new long[] {point, point});
  }

  /** Replaces the set with its union with itself shifted by {@code delta}. */
  void unionShifted(long delta) {
    List<long[]> all = new ArrayList<>(ranges.size() * 2);
    for (long[] r : ranges) {
      all.add(r);
      all.add(new long[] {r[0] + delta, r[1] + delta});
    }
    all.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] r : all) {
      long[] last = merged.isEmpty() ? null : merged.getLast();
      if (last != null && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new long[] {r[0], r[1]});
      }
    }
    ranges = merged;
  }

  boolean contains(long v) {
    for (long[] r : ranges) {
      if (v >= r[0] && v <= r[1]) {
        return true;
      }
    }
    return false;
  }

  List<long[]> ranges() {
    return ranges;
  }
}
