package dev.heddle.sim.internal.check;

import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The txn checkers' benchmark (not a test; run by {@code heddle-sim/bench/check-bench}): checks
 * random strict-serializable histories (see {@link TxnHistories}) of 100,000 txns by 10 clients
 * over many keys, for txn-list-append and txn-rw-register, and prints each run's check time and the
 * median and spread. Generating a history is not timed.
 *
 * <p>Usage: {@code TxnBench [runs]} (default 5).
 */
public final class TxnBench {
  private TxnBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optionally, the number of runs per scenario
   */
  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    System.out.printf(
        Locale.ROOT,
        "txn checkers (strict-serializable), %d runs per scenario, %d cores%n",
        runs,
        Runtime.getRuntime().availableProcessors());
    scenario(
        "txn-list-append, 100,000 txns, 10 clients", runs, "append", 0, ListAppendChecker::new);
    scenario("txn-rw-register, 100,000 txns, 10 clients", runs, "w", 0, RwRegisterChecker::new);
    scenario(
        "txn-list-append, 100,000 txns, 10 clients, 0.1% of reads stale (invalid)",
        runs, "append", 0.001, ListAppendChecker::new);
  }

  private static void scenario(
      String name, int runs, String write, double stale, Supplier<Checker> checker) {
    System.out.println("== " + name);
    List<Double> millis = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      SplittableRandom random = new SplittableRandom(i);
      List<Op> history =
          TxnHistories.staleReads(TxnHistories.valid(random, 100_000, 10, write), random, stale);
      long start = System.nanoTime();
      var result = checker.get().check(history);
      double ms = (System.nanoTime() - start) / 1e6;
      millis.add(ms);
      System.out.printf(
          Locale.ROOT,
          "  run %d: %.1f ms (%d history events, valid? %s, anomalies %s)%n",
          i,
          ms,
          history.size(),
          result.get("valid?"),
          result.get("anomaly-types"));
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
