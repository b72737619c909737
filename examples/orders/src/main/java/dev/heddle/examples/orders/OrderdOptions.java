package dev.heddle.examples.orders;

import dev.heddle.RestartPolicy;
import java.time.Duration;
import java.util.List;

/**
 * How orderd runs: its worker processes, the position limit it enforces, how long it waits for
 * positiond, and how its workers are restarted. Immutable.
 *
 * @param workers how many processes share the listening socket, 1..64
 * @param limit the largest absolute net position per symbol, at least 1
 * @param positiondPatience how long an order waits for positiond before it is rejected
 * @param restart the restart policy of each worker
 * @param extraArgs more arguments for orderd, after those Heddle passes
 */
public record OrderdOptions(
    int workers,
    long limit,
    Duration positiondPatience,
    RestartPolicy restart,
    List<String> extraArgs) {

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException naming the field and the rule
   */
  public OrderdOptions {
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers must be 1..64, got " + workers);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (positiondPatience.isNegative()) {
      throw new IllegalArgumentException("positiondPatience must not be negative");
    }
    extraArgs = List.copyOf(extraArgs);
  }

  /**
   * One worker, limit 1,000,000, 5 s patience (a positiond restart is a JVM start: about half a
   * second, several seconds on a loaded machine); workers restarted always, at most 100 times a
   * minute, after 20 ms doubling up to 1 s.
   */
  public static OrderdOptions defaults() {
    return new OrderdOptions(
        1,
        1_000_000,
        Duration.ofSeconds(5),
        RestartPolicy.permanent()
            .withIntensity(100, Duration.ofMinutes(1))
            .withBackoff(Duration.ofMillis(20), 2.0, Duration.ofSeconds(1)),
        List.of());
  }

  public OrderdOptions withWorkers(int n) {
    return new OrderdOptions(n, limit, positiondPatience, restart, extraArgs);
  }

  public OrderdOptions withLimit(long max) {
    return new OrderdOptions(workers, max, positiondPatience, restart, extraArgs);
  }

  public OrderdOptions withPositiondPatience(Duration patience) {
    return new OrderdOptions(workers, limit, patience, restart, extraArgs);
  }

  public OrderdOptions withExtraArgs(List<String> args) {
    return new OrderdOptions(workers, limit, positiondPatience, restart, args);
  }
}
