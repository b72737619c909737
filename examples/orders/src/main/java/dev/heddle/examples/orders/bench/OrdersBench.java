package dev.heddle.examples.orders.bench;

import dev.heddle.Event;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.SocketSpec;
import dev.heddle.examples.orders.OrderDb;
import dev.heddle.examples.orders.Orderd;
import dev.heddle.examples.orders.OrderdOptions;
import dev.heddle.examples.orders.Orders;
import dev.heddle.examples.orders.client.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench/orders}: (1) orders per second through orderd with 8 concurrent clients, for 1 and 4
 * workers: a warm-up, then rounds of a few seconds each, reported as the median with min and max;
 * (2) refused connections and lost acknowledged orders over 20 kill -9s of an orderd worker under
 * that load, plus the time from kill to the new incarnation being ready. Everything (controller,
 * agent, services, clients) runs on this machine. Not a test: nothing here has a pass/fail limit.
 *
 * <p>Options: {@code --clients N} (8), {@code --rounds N} (5), {@code --round-seconds N} (5),
 * {@code --kills N} (20), {@code --workers LIST} (1,4), {@code --only throughput|kill}.
 */
public final class OrdersBench {
  private OrdersBench() {}

  public static void main(String[] args) throws Exception {
    int clients = 8;
    int rounds = 5;
    int roundSeconds = 5;
    int kills = 20;
    List<Integer> workerCounts = List.of(1, 4);
    String only = "";
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--round-seconds" -> roundSeconds = Integer.parseInt(v);
        case "--kills" -> kills = Integer.parseInt(v);
        case "--workers" ->
            workerCounts = List.of(v.split(",", -1)).stream().map(Integer::parseInt).toList();
        case "--only" -> only = v;
        default -> {
          System.err.println("bench/orders: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    for (int workers : workerCounts) {
      if (!only.equals("kill")) {
        throughput(workers, clients, rounds, roundSeconds);
      }
    }
    for (int workers : workerCounts) {
      if (!only.equals("throughput")) {
        kills(workers, clients, kills);
      }
    }
  }

  /** A fresh system in a temporary directory; closing it stops everything and deletes the files. */
  private record Sys(
      Path dir, Host host, Scope scope, Orderd orderd, LinkedBlockingQueue<Event> events)
      implements AutoCloseable {
    static Sys start(int workers) throws Exception {
      Path dir = Files.createTempDirectory("orders-bench-");
      Host host = Host.local(dir.resolve("agent"));
      Scope scope = Scope.open("bench");
      LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
      scope.events(events::add);
      ListeningSocket sock = host.listen(SocketSpec.tcp("127.0.0.1", 0));
      Orderd orderd =
          Orders.startOrderd(
              scope,
              host,
              Orders.startPositiond(scope, host, dir.resolve("positiond")),
              sock,
              OrderDb.make(host, dir.resolve("orders.db")),
              Optional.empty(),
              OrderdOptions.defaults().withWorkers(workers).withLimit(1_000_000_000));
      return new Sys(dir, host, scope, orderd, events);
    }

    @Override
    public void close() throws IOException {
      try {
        scope.close();
      } finally {
        host.close();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void throughput(int workers, int clients, int rounds, int seconds)
      throws Exception {
    try (Sys sys = Sys.start(workers)) {
      Load load = new Load(sys.orderd().address(), clients, false);
      try {
        Thread.sleep(3000); // warm-up: JIT, SQLite and page cache
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          long n0 = load.acked();
          long t0 = System.nanoTime();
          Thread.sleep(seconds * 1000L);
          rates.add((load.acked() - n0) / ((System.nanoTime() - t0) / 1e9));
        }
        System.out.printf(
            Locale.ROOT,
            "throughput workers=%d clients=%d: median %.0f orders/s (min %.0f, max %.0f; %d"
                + " rounds of %d s) rejected=%d refused=%d broken=%d%n",
            workers,
            clients,
            median(rates),
            Collections.min(rates),
            Collections.max(rates),
            rounds,
            seconds,
            load.rejected.get(),
            load.refused.get(),
            load.broken.get());
      } finally {
        load.stop();
      }
    }
  }

  private static void kills(int workers, int clients, int kills) throws Exception {
    try (Sys sys = Sys.start(workers)) {
      Load load = new Load(sys.orderd().address(), clients, true);
      List<Double> restartMs = new ArrayList<>();
      try {
        Thread.sleep(1000);
        for (int k = 0; k < kills; k++) {
          ServiceHandle victim =
              sys.orderd().workers().get(ThreadLocalRandom.current().nextInt(workers));
          int next = victim.current().incarnation() + 1;
          Thread.sleep(300 + ThreadLocalRandom.current().nextInt(700)); // mid-stream
          long t0 = System.nanoTime();
          victim.current().signal(Signal.KILL);
          awaitReady(sys.events(), victim.name(), next);
          restartMs.add((System.nanoTime() - t0) / 1e6);
        }
        Thread.sleep(1000);
      } finally {
        load.stop();
      }
      Load.Result r = Load.verify(sys.orderd().address(), load.acknowledged);
      System.out.printf(
          Locale.ROOT,
          "kill workers=%d clients=%d kills=%d: refused=%d lost=%d of %d acknowledged"
              + " (stored %d) positions%s broken-connections=%d rejected=%d;"
              + " kill->ready median %.0f ms (min %.0f, max %.0f)%n",
          workers,
          clients,
          kills,
          load.refused.get(),
          r.lost(),
          load.acknowledged.size(),
          r.stored(),
          r.sums().equals(r.positions()) ? "=sum" : "!=sum " + r.positions() + " vs " + r.sums(),
          load.broken.get(),
          load.rejected.get(),
          median(restartMs),
          Collections.min(restartMs),
          Collections.max(restartMs));
    }
  }

  private static void awaitReady(LinkedBlockingQueue<Event> events, String service, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e instanceof Event.Ready r && r.service().equals(service) && r.incarnation() == n) {
        return;
      }
    }
    throw new IllegalStateException(service + "#" + n + " not ready within 60 s");
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
