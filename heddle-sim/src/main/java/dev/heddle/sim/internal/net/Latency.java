package dev.heddle.sim.internal.net;

import java.util.SplittableRandom;

/**
 * Draws message latencies as Maelstrom does: constant, uniform integers in 0..2×mean, or
 * exponential with the given mean.
 */
public final class Latency {
  private final String dist;
  private final double meanMillis;

  /** Creates a distribution; {@code dist} is constant, uniform or exponential. */
  public Latency(String dist, double meanMillis) {
    this.dist = dist;
    this.meanMillis = meanMillis;
  }

  /** Draws one latency in nanoseconds. */
  public long drawNanos(SplittableRandom random) {
    if (meanMillis <= 0) {
      return 0;
    }
    double millis =
        switch (dist) {
          case "uniform" -> random.nextLong((long) Math.floor(2 * meanMillis) + 1);
          case "exponential" -> -Math.log(1 - random.nextDouble()) * meanMillis;
          default -> meanMillis;
        };
    return (long) (millis * 1_000_000);
  }

  /** Returns the mean latency in milliseconds. */
  public double meanMillis() {
    return meanMillis;
  }
}
