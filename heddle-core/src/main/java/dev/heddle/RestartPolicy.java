package dev.heddle;

import java.time.Duration;

/**
 * When a supervised service is restarted (OTP's restart types), how often at most (intensity: at
 * most {@code maxRestarts} within {@code period}, beyond which the supervisor gives up and fails
 * its scope), and how long it waits first (exponential backoff from {@code initialBackoff}, times
 * {@code multiplier} per restart, capped at {@code maxBackoff}, minus up to {@code jitter} of it at
 * random). Immutable and thread-safe. The decisions are made in {@code
 * dev.heddle.internal.supervise}.
 *
 * @param type which exits lead to a restart
 * @param maxRestarts restarts allowed within {@code period}
 * @param period the intensity window
 * @param initialBackoff the delay before the first restart
 * @param maxBackoff the cap on the delay
 * @param multiplier growth of the delay per restart, at least 1
 * @param jitter fraction 0..1 of the delay that is randomly taken off
 */
public record RestartPolicy(
    Type type,
    int maxRestarts,
    Duration period,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter) {

  /** Which exits are followed by a restart. */
  public enum Type {
    /** Always restarted. */
    PERMANENT,
    /** Restarted only after an abnormal exit (not code 0); a clean exit ends it. */
    TRANSIENT,
    /** Never restarted; any exit ends it without failing the scope. */
    TEMPORARY,
    /** Never restarted; an abnormal exit fails the scope at once. */
    NEVER
  }

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException for negative counts or durations, a multiplier below 1 or a
   *     jitter outside 0..1
   */
  public RestartPolicy {
    if (maxRestarts < 0 || period.isNegative() || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("restart counts and durations must not be negative");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
    }
    if (multiplier < 1 || jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException(
          "multiplier must be >= 1 and jitter in 0..1, got " + multiplier + " and " + jitter);
    }
  }

  /** Always restart; at most 5 restarts in 60 s; backoff 100 ms doubling up to 10 s, 20% jitter. */
  public static RestartPolicy permanent() {
    return new RestartPolicy(
        Type.PERMANENT,
        5,
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        2.0,
        0.2);
  }

  /** {@link #permanent()} but only after an abnormal exit. */
  public static RestartPolicy transient_() {
    return permanent().withType(Type.TRANSIENT);
  }

  /** The same as {@link #transient_()}. */
  public static RestartPolicy onFailure() {
    return transient_();
  }

  /** Never restart; an exit just ends the service. */
  public static RestartPolicy temporary() {
    return permanent().withType(Type.TEMPORARY);
  }

  /** Never restart; an abnormal exit fails the scope (the default of a supervised service). */
  public static RestartPolicy never() {
    return permanent().withType(Type.NEVER);
  }

  /** A copy with another type. */
  public RestartPolicy withType(Type newType) {
    return new RestartPolicy(
        newType, maxRestarts, period, initialBackoff, maxBackoff, multiplier, jitter);
  }

  /** A copy allowing at most {@code max} restarts within {@code within}. */
  public RestartPolicy withIntensity(int max, Duration within) {
    return new RestartPolicy(type, max, within, initialBackoff, maxBackoff, multiplier, jitter);
  }

  /**
   * A copy with another backoff: {@code initial}, times {@code factor} per restart, up to {@code
   * cap}.
   */
  public RestartPolicy withBackoff(Duration initial, double factor, Duration cap) {
    return new RestartPolicy(type, maxRestarts, period, initial, cap, factor, jitter);
  }

  /** A copy with another jitter fraction (0 makes delays exact). */
  public RestartPolicy withJitter(double fraction) {
    return new RestartPolicy(
        type, maxRestarts, period, initialBackoff, maxBackoff, multiplier, fraction);
  }
}
