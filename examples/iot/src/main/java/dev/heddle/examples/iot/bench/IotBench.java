package dev.heddle.examples.iot.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.client.IotClient;
import dev.heddle.examples.iot.wire.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@code bench/iot}'s client: against a running {@code bin/iot --users U --workers W}, opens {@code
 * --connections N} WebSocket connections (user {@code u(i mod U)}), then measures, one sample at a
 * time, the latency from a set-target sent on one connection of a user to (a) the worker's push of
 * the new target and (b) the device's own report of it reaching a connection of the same user on
 * another worker, and (c) that report reaching every connection of the user (an upper bound: read
 * after the fact). Samples the CPU time and RSS of the controller ({@code --controller-pid}), its
 * agent ({@code --agent-pid}) and the workers throughout.
 */
public final class IotBench {
  private IotBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    int connections = Integer.parseInt(a.getOrDefault("--connections", "10000"));
    int samples = Integer.parseInt(a.getOrDefault("--samples", "200"));
    int warmup = Integer.parseInt(a.getOrDefault("--warmup", "20"));
    int port = Integer.parseInt(a.getOrDefault("--port", "7100"));
    int authPort = Integer.parseInt(a.getOrDefault("--auth-port", "7101"));
    Path passwords = Path.of(req(a, "--passwords"));
    int controller = Integer.parseInt(req(a, "--controller-pid"));
    int agent = Integer.parseInt(a.getOrDefault("--agent-pid", "0"));
    List<Integer> workers =
        Arrays.stream(a.getOrDefault("--worker-pids", "").split(",", -1))
            .filter(s -> !s.isBlank())
            .map(Integer::parseInt)
            .toList();
    String uri = "ws://127.0.0.1:" + port + "/ws";

    Map<String, String> users = new TreeMap<>();
    for (String line : Files.readAllLines(passwords, StandardCharsets.UTF_8)) {
      String[] p = line.split(" ", 2);
      if (p.length == 2) {
        users.put(p[0], p[1]);
      }
    }
    List<String> names = new ArrayList<>(users.keySet());
    List<HttpClient> https = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      https.add(HttpClient.newHttpClient());
    }
    Map<String, String> tokens = new HashMap<>();
    for (String u : names) {
      tokens.put(
          u,
          IotClient.token(
              https.get(0),
              new InetSocketAddress("127.0.0.1", authPort),
              u,
              String.valueOf(users.get(u))));
    }
    Usage usage = new Usage(controller, agent, workers);
    Thread sampler = Thread.ofVirtual().start(usage::sampleForever);

    System.out.printf(
        "connecting %d WebSocket connections as %d users …%n", connections, names.size());
    long t0 = System.nanoTime();
    Map<String, List<IotClient>> byUser = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    @Nullable String[] firstError = {null};
    Semaphore inFlight = new Semaphore(200);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      String u = names.get(i % names.size());
      HttpClient http = https.get(i % https.size());
      inFlight.acquire();
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      IotClient c =
                          IotClient.connect(
                              http, uri, String.valueOf(tokens.get(u)), Duration.ofSeconds(60), 16);
                      byUser
                          .computeIfAbsent(
                              u, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                          .add(c);
                      perWorker
                          .computeIfAbsent(c.worker(), k -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                      if (failed.getAndIncrement() == 0) {
                        firstError[0] = String.valueOf(e);
                      }
                    } finally {
                      inFlight.release();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    int open = byUser.values().stream().mapToInt(List::size).sum();
    System.out.printf(
        "connected %d of %d in %.1f s (%d failed%s); per worker %s%n",
        open,
        connections,
        connectSeconds,
        failed.get(),
        firstError[0] == null ? "" : ", first: " + firstError[0],
        new TreeMap<>(perWorker));

    Random random = new Random(42);
    List<Long> toTarget = new ArrayList<>();
    List<Long> toState = new ArrayList<>();
    List<Long> toAll = new ArrayList<>();
    int timeouts = 0;
    long t1 = System.nanoTime();
    for (int s = -warmup; s < samples; s++) {
      String u = names.get(random.nextInt(names.size()));
      List<IotClient> mine = new ArrayList<>(byUser.getOrDefault(u, List.of()));
      if (mine.size() < 2) {
        continue;
      }
      IotClient sender = mine.get(0);
      IotClient receiver =
          mine.stream()
              .filter(c -> !c.worker().equals(sender.worker()))
              .findFirst()
              .orElse(mine.get(1));
      mine.forEach(IotClient::clearEvents);
      String device = "lamp-" + u;
      long start = System.nanoTime();
      ObjectNode reply;
      try {
        reply =
            sender.set(
                device,
                Json.object("on", true, "brightness", Math.floorMod(s, 101)),
                Duration.ofSeconds(10));
      } catch (IOException e) {
        timeouts++;
        continue;
      }
      if (!reply.path("ok").asBoolean()) {
        timeouts++;
        System.out.println("refused: " + reply);
        continue;
      }
      long version = reply.path("version").asLong(-1);
      ObjectNode target =
          receiver.awaitEvent(
              e ->
                  e.path("kind").asText().equals("target")
                      && e.path("device").path("version").asLong() == version,
              Duration.ofSeconds(10));
      long tTarget = System.nanoTime();
      ObjectNode state =
          receiver.awaitEvent(
              e ->
                  e.path("kind").asText().equals("state")
                      && e.path("device").path("state").path("version").asLong() == version,
              Duration.ofSeconds(10));
      long tState = System.nanoTime();
      if (target == null || state == null) {
        timeouts++;
        continue;
      }
      for (IotClient c : mine) {
        if (c != receiver) {
          var _ =
              c.awaitEvent(
                  e ->
                      e.path("kind").asText().equals("state")
                          && e.path("device").path("state").path("version").asLong() == version,
                  Duration.ofSeconds(10));
        }
      }
      long tAll = System.nanoTime();
      if (s < 0) {
        continue; // warming up (JIT, connection pools): not counted
      }
      toTarget.add(tTarget - start);
      toState.add(tState - start);
      toAll.add(tAll - start);
    }
    double sampleSeconds = (System.nanoTime() - t1) / 1e9;
    usage.stop();
    sampler.join();
    int perUser = open / Math.max(1, names.size());
    System.out.printf(
        "latency over %d samples (%d timed out), %.1f s; each update fans out to ~%d connections of its user:%n",
        toState.size(), timeouts, sampleSeconds, perUser);
    System.out.println(
        "  set-target -> new target pushed to the user on another worker: " + stats(toTarget));
    System.out.println(
        "  set-target -> device's report (via MQTT) on another worker:   " + stats(toState));
    System.out.println(
        "  set-target -> device's report on all the user's connections:  "
            + stats(toAll)
            + " (upper bound)");
    usage.print(connectSeconds + sampleSeconds);
    for (List<IotClient> cs : byUser.values()) {
      cs.forEach(IotClient::close);
    }
    https.forEach(HttpClient::close);
    System.exit(0);
  }

  private static String req(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v;
  }

  private static String stats(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "no samples";
    }
    long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        "median %.2f ms, p99 %.2f ms, max %.2f ms",
        s[s.length / 2] / 1e6,
        s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6,
        s[s.length - 1] / 1e6);
  }

  /** CPU time and RSS of processes, from /proc. */
  private static final class Usage {
    private final int controller;
    private final int agent;
    private final List<Integer> workers;
    private final long controllerCpu0;
    private final long agentCpu0;
    private final long workersCpu0;
    private volatile boolean stop;
    private long maxControllerRss;
    private long maxAgentRss;
    private long maxWorkersRss;

    Usage(int controller, int agent, List<Integer> workers) {
      this.controller = controller;
      this.agent = agent;
      this.workers = workers;
      controllerCpu0 = cpuTicks(controller);
      agentCpu0 = cpuTicks(agent);
      workersCpu0 = workers.stream().mapToLong(Usage::cpuTicks).sum();
    }

    void sampleForever() {
      while (!stop) {
        synchronized (this) {
          maxControllerRss = Math.max(maxControllerRss, rssKb(controller));
          maxAgentRss = Math.max(maxAgentRss, rssKb(agent));
          maxWorkersRss = Math.max(maxWorkersRss, workers.stream().mapToLong(Usage::rssKb).sum());
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      stop = true;
    }

    synchronized void print(double seconds) {
      double hz = 100.0; // USER_HZ on Linux
      System.out.printf(
          "controller (pid %d): CPU %.2f s over %.1f s (%.1f%% of one core), max RSS %d MiB%n",
          controller,
          (cpuTicks(controller) - controllerCpu0) / hz,
          seconds,
          100 * (cpuTicks(controller) - controllerCpu0) / hz / seconds,
          maxControllerRss / 1024);
      if (agent > 0) {
        System.out.printf(
            "agent (pid %d): CPU %.2f s (%.1f%% of one core), max RSS %d MiB%n",
            agent,
            (cpuTicks(agent) - agentCpu0) / hz,
            100 * (cpuTicks(agent) - agentCpu0) / hz / seconds,
            maxAgentRss / 1024);
      }
      if (!workers.isEmpty()) {
        long w = workers.stream().mapToLong(Usage::cpuTicks).sum() - workersCpu0;
        System.out.printf(
            "%d workers: CPU %.2f s (%.1f%% of one core), max RSS %d MiB together%n",
            workers.size(), w / hz, 100 * w / hz / seconds, maxWorkersRss / 1024);
      }
    }

    static long cpuTicks(int pid) {
      if (pid <= 0) {
        return 0;
      }
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 20);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    static long rssKb(int pid) {
      if (pid <= 0) {
        return 0;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone
      }
      return 0;
    }
  }
}
