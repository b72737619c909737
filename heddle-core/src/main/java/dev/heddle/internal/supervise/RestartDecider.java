package dev.heddle.internal.supervise;

import dev.heddle.ExitStatus;
import dev.heddle.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** Applies a restart policy to one service's exits. Not thread-safe: one per supervisor. */
public final class RestartDecider {

  /** What to do after an exit. */
  public sealed interface Decision {}

  /** Restart after {@code delay}; this is restart number {@code attempt} (1-based). */
  public record Restart(Duration delay, int attempt) implements Decision {}

  /** Do not restart; the service has ended without failing its scope. */
  public record End() implements Decision {}

  /** Do not restart; fail the scope with {@code reason}. */
  public record GiveUp(String reason) implements Decision {}

  private final RestartPolicy policy;
  private final RandomGenerator random;
  private final Deque<Instant> recent = new ArrayDeque<>();
  private int attempt;

  public RestartDecider(RestartPolicy policy, RandomGenerator random) {
    this.policy = policy;
    this.random = random;
  }

  /** Decides after {@code status} at {@code now}. */
  public Decision decide(ExitStatus status, Instant now) {
    boolean clean = status.equals(new ExitStatus.Exited(0));
    switch (policy.type()) {
      case TEMPORARY -> {
        return new End();
      }
      case NEVER -> {
        return clean ? new End() : new GiveUp("it exited (" + status + ") and is never restarted");
      }
      case TRANSIENT -> {
        if (clean) {
          return new End();
        }
      }
      case PERMANENT -> {}
    }
    while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(policy.period()))) {
      recent.removeFirst();
    }
    if (recent.size() >= policy.maxRestarts()) {
      return new GiveUp(
          "it exited ("
              + status
              + ") after "
              + recent.size()
              + " restarts within "
              + policy.period()
              + ", the most its policy allows");
    }
    recent.addLast(now);
    attempt++;
    return new Restart(delay(attempt), attempt);
  }

  /** The backoff before restart {@code n} (1-based): exponential, capped, minus jitter. */
  Duration delay(int n) {
    double base = (double) policy.initialBackoff().toNanos() * Math.pow(policy.multiplier(), n - 1);
    double capped = Math.min(base, (double) policy.maxBackoff().toNanos());
    double jittered = capped * (1 - policy.jitter() * random.nextDouble());
    return Duration.ofNanos((long) jittered);
  }
}
