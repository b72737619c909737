package dev.heddle.sim.internal.check;

import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The lin-kv checker's benchmark (not a test; run by {@code heddle-sim/bench/check-bench}): checks
 * random linearizable histories (see {@link RegisterHistories}) of 10,000 ops on one key by 10
 * clients, and of 100,000 ops on 5,000 keys by 10 clients, and prints each run's check time and the
 * median and spread. Generating a history is not timed.
 *
 * <p>Usage: {@code LinearizabilityBench [runs]} (default 5).
 */
public final class LinearizabilityBench {
  private LinearizabilityBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optionally, the number of runs per scenario
   */
  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    System.out.printf(
        Locale.ROOT,
        "lin-kv checker, %d runs per scenario, %d cores%n",
        runs,
        Runtime.getRuntime().availableProcessors());
    scenario("10,000 ops, 1 key, 10 clients", runs, 10_000, 10, 1);
    scenario("100,000 ops, 5,000 keys, 10 clients", runs, 100_000, 10, 5_000);
  }

  private static void scenario(String name, int runs, int ops, int clients, int keys) {
    System.out.println("== " + name);
    List<Double> millis = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      List<Op> history = RegisterHistories.valid(new SplittableRandom(i), ops, clients, keys);
      long start = System.nanoTime();
      var result = new LinearizabilityChecker().check(history);
      double ms = (System.nanoTime() - start) / 1e6;
      millis.add(ms);
      System.out.printf(
          Locale.ROOT,
          "  run %d: %.1f ms (%d history events, valid? %s)%n",
          i,
          ms,
          history.size(),
          result.get("valid?"));
    }
    List<Double> sorted = millis.stream().sorted().toList();
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    double min = sorted.getFirst();
    double max = sorted.getLast();
    System.out.printf(
        Locale.ROOT,
        "  median %.1f ms; min %.1f; max %.1f; spread (max-min)/median %.1f%%%n",
        median,
        min,
        max,
        100 * (max - min) / median);
  }
}
