package dev.heddle.bench;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Issue 3's start-up benchmark: a DAG of services (default 50 in 5 levels of 10), each depending on
 * 1–3 random services of the level above and ready 200 ms after it starts (it prints a line after
 * {@code sleep 0.2}; log-line readiness, checked by the agent). Each service is started with {@code
 * scope.supervise} on its own virtual thread as soon as its dependencies are ready, which is how a
 * program starts independent services in parallel. The critical path is levels × 200 ms; the figure
 * is wall time from the first start to the last ready, over it (target ≤ 1.1).
 *
 * <p>{@code --service sleep} runs each service as a single {@code sleep 600} process that is ready
 * 200 ms after it was spawned (a readiness check that waits out the rest of the 200 ms): it
 * measures Heddle's own cost without the {@code sh} and three {@code exec}s of the default service.
 *
 * <p>Run with {@code bench/dag [--runs 7] [--levels 5] [--width 10] [--ready-ms 200] [--service
 * shell|sleep] [--no-spares]}.
 */
public final class DagBench {
  private DagBench() {}

  /** Whether services keep spares (permanent restart); --no-spares makes them temporary. */
  static boolean spares = true;

  /** Per service: ms from its supervise call to its return, minus the 200 ms it takes itself. */
  static final java.util.Queue<Double> OVERHEADS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Per service: ms from its supervise call to its Started event (spawn reply). */
  static final java.util.Queue<Double> TO_STARTED =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Per service: ms from its Started event to its Ready event, minus its own 200 ms. */
  static final java.util.Queue<Double> TO_READY =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  public static void main(String[] args) throws Exception {
    int runs = 7;
    int levels = 5;
    int width = 10;
    int readyMs = 200;
    boolean shell = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help")) {
        System.out.println(
            "bench/dag [--runs 7] [--levels 5] [--width 10] [--ready-ms 200] [--service"
                + " shell|sleep] [--no-spares]");
        return;
      }
      if (a.equals("--no-spares")) {
        spares = false;
        continue;
      }
      if (a.equals("--service") && i + 1 < args.length) {
        String kind = args[++i];
        if (!kind.equals("shell") && !kind.equals("sleep")) {
          System.err.println("bench/dag: --service is shell or sleep, got '" + kind + "'");
          System.exit(2);
        }
        shell = kind.equals("shell");
        continue;
      }
      if (i + 1 >= args.length) {
        System.err.println("bench/dag: " + a + " needs a value; see --help");
        System.exit(2);
      }
      int v;
      try {
        v = Integer.parseInt(args[++i]);
      } catch (NumberFormatException e) {
        System.err.println("bench/dag: " + a + " takes a whole number, got '" + args[i] + "'");
        System.exit(2);
        return;
      }
      switch (a) {
        case "--runs" -> runs = v;
        case "--levels" -> levels = v;
        case "--width" -> width = v;
        case "--ready-ms" -> readyMs = v;
        default -> {
          System.err.println("bench/dag: unknown option " + a + "; see --help");
          System.exit(2);
        }
      }
    }
    Path base = Files.createTempDirectory("heddle-dag-bench");
    double critical = levels * readyMs;
    System.out.printf(
        "# %d services, %d levels of %d, ready %d ms after start (%s): critical path %.0f ms%n",
        levels * width,
        levels,
        width,
        readyMs,
        shell ? "sh prints a line, log-line readiness" : "one sleep process, timed readiness",
        critical);
    double[] walls = new double[runs];
    Host host = Host.local(base.resolve("agent"));
    try {
      run(host, levels, width, readyMs, shell, new Random(1)); // warm-up: JIT, agent, page cache
      OVERHEADS.clear();
      TO_STARTED.clear();
      TO_READY.clear();
      for (int r = 0; r < runs; r++) {
        walls[r] = run(host, levels, width, readyMs, shell, new Random(r + 2));
        System.out.printf(
            "run %d: %.0f ms (%.3f× the critical path)%n", r + 1, walls[r], walls[r] / critical);
      }
    } finally {
      host.close();
      AgentBench.deleteTree(base);
    }
    AgentBench.Stats o =
        AgentBench.Stats.of(OVERHEADS.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.printf(
        "dag: per service, supervise() → ready minus its own %d ms: median=%.1f ms p10=%.1f"
            + " p90=%.1f max=%.1f n=%d%n",
        readyMs, o.median(), o.p10(), o.p90(), o.max(), o.n());
    printStats("supervise() → Started (the spawn reply)", TO_STARTED);
    printStats("Started → Ready minus " + readyMs + " ms", TO_READY);
    AgentBench.Stats s = AgentBench.Stats.of(walls);
    System.out.printf(
        "dag: wall median=%.0f ms p10=%.0f p90=%.0f min=%.0f max=%.0f n=%d;"
            + " ratio median=%.3f (min %.3f, max %.3f); target <= 1.1: %s%n",
        s.median(),
        s.p10(),
        s.p90(),
        s.min(),
        s.max(),
        s.n(),
        s.median() / critical,
        s.min() / critical,
        s.max() / critical,
        s.median() / critical <= 1.1 ? "met" : "MISSED");
  }

  private static void printStats(String what, java.util.Queue<Double> values) {
    AgentBench.Stats o =
        AgentBench.Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.printf(
        "dag:   %s: median=%.1f ms p10=%.1f p90=%.1f max=%.1f n=%d%n",
        what, o.median(), o.p10(), o.p90(), o.max(), o.n());
  }

  /** Ready {@code ms} after the spawn returned, if it still runs then. */
  static Readiness readyAfter(int ms) {
    return (p, spec) -> {
      Thread.sleep(ms);
      if (!p.isAlive()) {
        throw new IllegalStateException(p.service() + " exited within " + ms + " ms");
      }
    };
  }

  /** Starts the DAG in a fresh scope; returns ms from the first start to the last ready. */
  static double run(Host host, int levels, int width, int readyMs, boolean shell, Random random)
      throws Exception {
    List<List<CompletableFuture<ServiceHandle>>> byLevel = new ArrayList<>();
    Scope scope = Scope.open("dag");
    java.util.Map<String, Long> called = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
    var _ =
        scope.events(
            e -> {
              long now = System.nanoTime();
              switch (e) {
                case dev.heddle.Event.Started s -> {
                  started.put(s.service(), now);
                  Long c = called.get(s.service());
                  if (c != null) {
                    TO_STARTED.add((now - c) / 1e6);
                  }
                }
                case dev.heddle.Event.Ready r -> {
                  Long s = started.get(r.service());
                  if (s != null) {
                    TO_READY.add((now - s) / 1e6 - readyMs);
                  }
                }
                default -> {}
              }
            });
    try {
      long start = System.nanoTime();
      List<Thread> starters = new ArrayList<>();
      for (int l = 0; l < levels; l++) {
        List<CompletableFuture<ServiceHandle>> level = new ArrayList<>();
        for (int i = 0; i < width; i++) {
          List<CompletableFuture<ServiceHandle>> deps = new ArrayList<>();
          if (l > 0) {
            List<CompletableFuture<ServiceHandle>> above = byLevel.get(l - 1);
            int n = 1 + random.nextInt(Math.min(3, above.size()));
            List<Integer> picks = new ArrayList<>();
            for (int k = 0; k < above.size(); k++) {
              picks.add(k);
            }
            java.util.Collections.shuffle(picks, random);
            for (int k = 0; k < n; k++) {
              deps.add(above.get(picks.get(k)));
            }
          }
          CompletableFuture<ServiceHandle> mine = new CompletableFuture<>();
          level.add(mine);
          String name = "s" + l + "-" + i;
          Service service =
              Service.named(name)
                  .on(host)
                  .command(
                      Command.shell("sleep " + readyMs / 1000.0 + "; echo ready; exec sleep 600"))
                  .readyWhen(Readiness.logLine("^ready$", Duration.ofSeconds(30)))
                  .stopGrace(Duration.ofSeconds(2))
                  .restart(spares ? RestartPolicy.permanent() : RestartPolicy.temporary());
          starters.add(
              Thread.ofVirtual()
                  .name("dag-start/" + name)
                  .start(
                      () -> {
                        try {
                          List<ServiceHandle> handles = new ArrayList<>();
                          for (CompletableFuture<ServiceHandle> d : deps) {
                            handles.add(d.get());
                          }
                          long t0 = System.nanoTime();
                          called.put(name, t0);
                          ServiceHandle h =
                              scope.supervise(
                                  service.dependsOn(handles.toArray(ServiceHandle[]::new)));
                          OVERHEADS.add((System.nanoTime() - t0) / 1e6 - readyMs);
                          mine.complete(h);
                        } catch (Throwable t) {
                          mine.completeExceptionally(t);
                        }
                      }));
        }
        byLevel.add(level);
      }
      for (List<CompletableFuture<ServiceHandle>> level : byLevel) {
        for (CompletableFuture<ServiceHandle> f : level) {
          try {
            f.get();
          } catch (ExecutionException e) {
            throw new IllegalStateException("a service did not start: " + e.getCause(), e);
          }
        }
      }
      double wall = (System.nanoTime() - start) / 1e6;
      for (Thread t : starters) {
        t.join();
      }
      return wall;
    } finally {
      scope.close();
    }
  }
}
