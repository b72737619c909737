package dev.heddle.sim.internal.net;

/**
 * How late the loop delivered messages compared with their scheduled delivery time: a histogram of
 * 0.1 ms buckets up to 10 s. It shows whether the simulator keeps up. Loop thread only.
 */
public final class Lag {
  private static final int BUCKETS = 100_000;
  private final long[] counts = new long[BUCKETS + 1];
  private long total;
  private long maxNanos;

  void record(long lateNanos) {
    long late = Math.max(0, lateNanos);
    counts[(int) Math.min(BUCKETS, late / 100_000)]++;
    total++;
    maxNanos = Math.max(maxNanos, late);
  }

  /** Returns the lag at quantile {@code q} in milliseconds (bucket upper bound), or 0. */
  public double quantileMillis(double q) {
    if (total == 0) {
      return 0;
    }
    if (q >= 1) {
      return maxNanos / 1e6;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return (i + 1) / 10.0;
      }
    }
    return maxNanos / 1e6;
  }
}
