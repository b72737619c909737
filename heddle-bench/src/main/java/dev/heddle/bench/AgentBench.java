package dev.heddle.bench;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ProcessSpec;
import dev.heddle.internal.agent.AgentConnection;
import dev.heddle.internal.agent.AgentHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmarks of the per-host agent through the public {@link Host} API, with real processes (issue
 * 2). Run with {@code bench/agent [--only a,b,c,d] [--quick] [--option value …]}; {@code --help}
 * lists the options. Each scenario prints {@code name: median=… p10=… p90=… min=… max=… n=…} lines
 * and a verdict against its target.
 */
public final class AgentBench {
  /** supervisord 4.2.5, autorestart, kill -9 → replacement running (shared/notes/recipes.md). */
  static final double SUPERVISORD_RESTART_MS = 1013;

  static final long CLK_TCK = 100; // USER_HZ on Linux x86_64

  private final Map<String, String> opts;
  private final Path base;
  private final List<String> summary = new ArrayList<>();

  private AgentBench(Map<String, String> opts, Path base) {
    this.opts = opts;
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("help")) {
      System.out.println(
          """
          usage: bench/agent [--only a,b,c,d] [--quick] [options]
            a  kill -9 → exit event, and → respawned     --kill-n 200 --kill-warmup 30 --kill-pause-ms 20
            b  agent watching N idle processes            --procs 1000 --idle-s 10 --windows 3
            c  spawn throughput of `true`                 --spawn-n 500 --rounds 5 --threads 8
            d  Host.local(dir) until ready                --start-n 20 --start-warmup 1
            --agent-jvm-args "FLAGS"  extra JVM flags for the agent (system property heddle.agent.jvmArgs)
            --quick  small n everywhere (a smoke run, not a measurement)""");
      return;
    }
    if (opts.containsKey("quick")) {
      for (var e :
          Map.of(
                  "kill-n",
                  "20",
                  "kill-warmup",
                  "5",
                  "procs",
                  "100",
                  "idle-s",
                  "2",
                  "windows",
                  "1",
                  "spawn-n",
                  "100",
                  "rounds",
                  "2",
                  "start-n",
                  "3")
              .entrySet()) {
        opts.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    if (opts.containsKey("agent-jvm-args")) {
      System.setProperty("heddle.agent.jvmArgs", opts.get("agent-jvm-args"));
    }
    Path base = Files.createTempDirectory(Path.of("/tmp"), "hbench");
    AgentBench bench = new AgentBench(opts, base);
    Set<String> only = Set.of(opts.getOrDefault("only", "a,b,c,d").replace(" ", "").split(","));
    System.out.printf(
        Locale.ROOT,
        "# heddle agent bench — %s — java %s — %d cpus — load %s%n",
        LocalDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        loadavg());
    System.out.println(
        "# agent JVM extra flags: "
            + opts.getOrDefault("agent-jvm-args", "(none; AgentLauncher's defaults)"));
    try {
      if (only.contains("d")) {
        bench.startup();
      }
      if (only.contains("a")) {
        bench.killAndRespawn(false);
        bench.killAndRespawn(true);
      }
      if (only.contains("c")) {
        bench.spawnThroughput();
      }
      if (only.contains("b")) {
        bench.idleWatching();
      }
    } finally {
      deleteTree(base);
    }
    System.out.println();
    System.out.println("# summary");
    bench.summary.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "# anchor: supervisord 4.2.5 restarts a kill -9'd `sleep` in %.0f ms median (its loop wakes"
            + " about once a second; shared/notes/recipes.md)%n",
        SUPERVISORD_RESTART_MS);
    System.out.println("# load at the end: " + loadavg());
  }

  // ---------------------------------------------------------------------------------------------
  // (a) kill -9 → exit event → respawned

  private void killAndRespawn(boolean spare) throws Exception {
    String a = spare ? "a spare" : "a cold";
    int n = num("kill-n", 200);
    int warmup = num("kill-warmup", 30);
    long pauseMs = num("kill-pause-ms", 20);
    header(
        a,
        "kill -9 of `sleep 1000` → onExit() completes, → replacement spawned"
            + (spare
                ? " (keepSpare: the agent runs the next incarnation it prepared, as supervisors do)"
                : " (a cold posix_spawn: no spare)"));
    String load0 = loadavg();
    double[] killCall = new double[n];
    double[] exitEvent = new double[n];
    double[] respawn = new double[n];
    double[] agentAt = new double[n]; // kill → the agent stamps the exit event ("at")
    double[] wire = new double[n]; // agent's stamp → client callback
    ProcessSpec spec =
        ProcessSpec.builder("victim", Command.of("sleep", "1000")).keepSpare(spare).build();
    long[] agentCpu = new long[2];
    try (Host host = Host.local(stateDir(spare ? "kill-spare" : "kill"))) {
      long agentPid =
          java.util.Objects.requireNonNull(((AgentHost) host).agentProcess(), "agent process")
              .pid();
      Map<String, Instant> stamped = new ConcurrentHashMap<>();
      connection(host)
          .onEvent(
              e -> {
                if (e.type().equals("exited")) {
                  stamped.put(
                      String.valueOf(e.body().get("processId")),
                      Instant.parse(String.valueOf(e.body().get("at"))));
                }
              });
      HostProcess p = host.spawn(spec);
      for (int i = -warmup; i < n; i++) {
        if (i == 0) {
          agentCpu = cpuAndChildTicks(agentPid);
        }
        Thread.sleep(pauseMs); // the service runs for a moment (and the trampoline has exec'd)
        ProcessHandle victim = ProcessHandle.of(p.pid()).orElseThrow();
        AtomicLong exitedAt = new AtomicLong();
        CompletableFuture<Void> seen = p.onExit().thenRun(() -> exitedAt.set(System.nanoTime()));
        Instant wallKill = Instant.now();
        long t0 = System.nanoTime();
        victim.destroyForcibly(); // kill(pid, SIGKILL) (after a /proc read of the start time)
        long t1 = System.nanoTime();
        seen.get(10, TimeUnit.SECONDS);
        HostProcess next = host.spawn(spec);
        long t2 = System.nanoTime();
        if (i >= 0) {
          killCall[i] = ms(t1 - t0);
          exitEvent[i] = ms(exitedAt.get() - t0);
          respawn[i] = ms(t2 - t0);
          Instant at = waitFor(stamped, p.processId());
          double agentMs = Duration.between(wallKill, at).toNanos() / 1e6;
          agentAt[i] = agentMs;
          wire[i] = exitEvent[i] - agentMs;
        }
        p = next;
      }
      long[] end = cpuAndChildTicks(agentPid);
      agentCpu = new long[] {end[0] - agentCpu[0], end[1] - agentCpu[1]};
    }
    Stats exit = Stats.of(exitEvent);
    Stats re = Stats.of(respawn);
    line(a + " exit event (kill → onExit)", exit, "ms");
    line(a + " respawn (kill → spawn reply)", re, "ms");
    line(a + "   kill call (destroyForcibly)", Stats.of(killCall), "ms");
    line(a + "   kill → agent stamps event", Stats.of(agentAt), "ms");
    line(a + "   agent stamp → client onExit", Stats.of(wire), "ms");
    note(
        String.format(
            Locale.ROOT,
            "warming: first quarter median exit %s ms / respawn %s ms; last quarter %s ms / %s ms",
            fmt(Stats.of(Arrays.copyOfRange(exitEvent, 0, n / 4)).median()),
            fmt(Stats.of(Arrays.copyOfRange(respawn, 0, n / 4)).median()),
            fmt(Stats.of(Arrays.copyOfRange(exitEvent, n - n / 4, n)).median()),
            fmt(Stats.of(Arrays.copyOfRange(respawn, n - n / 4, n)).median())));
    note(
        String.format(
            Locale.ROOT,
            "CPU per kill+respawn: agent JVM %.2f ms, the reaped children %.2f ms (utime+stime,"
                + " cutime+cstime; 10 ms ticks summed over %d)",
            10.0 * agentCpu[0] / n,
            10.0 * agentCpu[1] / n,
            n));
    note("load " + load0 + " → " + loadavg());
    verdict(a + " exit event", exit.median() <= 1.0, "≤ 1 ms median", fmt(exit.median()) + " ms");
    verdict(a + " respawn", re.median() <= 5.0, "≤ 5 ms median", fmt(re.median()) + " ms");
    note(
        String.format(
            Locale.ROOT,
            "respawn vs supervisord's %.0f ms: %.0f× faster",
            SUPERVISORD_RESTART_MS,
            SUPERVISORD_RESTART_MS / re.median()));
    summary.add(row(a, "kill -9 → onExit (exit event)", "≤ 1 ms", exit, "ms"));
    summary.add(row(a, "kill -9 → respawned (spawn reply)", "≤ 5 ms", re, "ms"));
  }

  private static Instant waitFor(Map<String, Instant> stamped, String processId)
      throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      Instant at = stamped.remove(processId);
      if (at != null) {
        return at;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no exited event seen for " + processId);
  }

  // ---------------------------------------------------------------------------------------------
  // (b) the agent watching N idle processes

  private void idleWatching() throws Exception {
    int procs = num("procs", 1000);
    int idleS = num("idle-s", 10);
    int windows = num("windows", 3);
    header("b", "agent watching " + procs + " × `sleep 1000`");
    String load0 = loadavg();
    Host host = Host.local(stateDir("idle"));
    boolean closed = false;
    try {
      long agentPid =
          java.util.Objects.requireNonNull(((AgentHost) host).agentProcess(), "agent process")
              .pid();
      ProcStatus before = ProcStatus.read(agentPid);
      note(
          String.format(
              Locale.ROOT,
              "agent pid %d just started: RSS %.1f MiB, %d threads",
              agentPid,
              before.rssKiB() / 1024.0,
              before.threads()));
      List<HostProcess> all = new ArrayList<>(procs);
      long t0 = System.nanoTime();
      for (int i = 0; i < procs; i++) {
        all.add(host.spawn(ProcessSpec.builder("idle" + i, Command.of("sleep", "1000")).build()));
      }
      double spawnS = (System.nanoTime() - t0) / 1e9;
      ProcStatus spawned = ProcStatus.read(agentPid);
      note(
          String.format(
              Locale.ROOT,
              "spawned %d in %.1f s (%.0f/s): RSS %.1f MiB, %d threads, %d fds",
              procs,
              spawnS,
              procs / spawnS,
              spawned.rssKiB() / 1024.0,
              spawned.threads(),
              fdCount(agentPid)));
      double[] cpu = new double[windows];
      double[] rss = new double[windows];
      double[] threads = new double[windows];
      double[] machine = new double[windows];
      Map<String, Long> threadTicks0 = threadTicks(agentPid);
      for (int w = 0; w < windows; w++) {
        long ticks0 = cpuTicks(agentPid);
        long[] sys0 = machineTicks();
        long n0 = System.nanoTime();
        Thread.sleep(idleS * 1000L);
        long ticks1 = cpuTicks(agentPid);
        long[] sys1 = machineTicks();
        double secs = (System.nanoTime() - n0) / 1e9;
        ProcStatus st = ProcStatus.read(agentPid);
        cpu[w] = 100.0 * (ticks1 - ticks0) / CLK_TCK / secs;
        rss[w] = st.rssKiB() / 1024.0;
        threads[w] = st.threads();
        machine[w] = 100.0 * (sys1[0] - sys0[0]) / Math.max(1, sys1[1] - sys0[1]);
        note(
            String.format(
                Locale.ROOT,
                "window %d (%d s): agent %d ticks = %.2f %% of a core; RSS %.1f MiB; %d threads;"
                    + " whole machine %.0f %% busy",
                w + 1,
                idleS,
                ticks1 - ticks0,
                cpu[w],
                rss[w],
                st.threads(),
                machine[w]));
      }
      Map<String, Long> threadTicks1 = threadTicks(agentPid);
      note(
          "agent threads that used CPU while idle (ticks): "
              + topThreads(threadTicks0, threadTicks1));
      for (HostProcess p : all.subList(0, Math.min(3, all.size()))) {
        if (!p.isAlive()) {
          throw new IllegalStateException(p + " died while idle");
        }
      }
      Stats rssStats = Stats.of(rss);
      Stats cpuStats = Stats.of(cpu);
      line("b RSS after " + idleS + " s idle", rssStats, "MiB");
      line("b idle CPU per " + idleS + " s window", cpuStats, "% of a core");
      line("b threads", Stats.of(threads), "");
      long c0 = System.nanoTime();
      host.close();
      closed = true;
      note(
          String.format(
              Locale.ROOT,
              "close (stops %d services): %.1f s",
              procs,
              (System.nanoTime() - c0) / 1e9));
      note("load " + load0 + " → " + loadavg());
      verdict(
          "b RSS",
          rssStats.max() <= 150 * 1e6 / (1 << 20),
          "≤ 150 MB (143 MiB)",
          fmt(rssStats.max()) + " MiB max");
      verdict(
          "b idle CPU",
          cpuStats.median() < 1.0,
          "< 1 % of a core",
          fmt(cpuStats.median()) + " % median");
      summary.add(
          row("b", "RSS, " + procs + " idle processes watched", "≤ 150 MB", rssStats, "MiB"));
      summary.add(row("b", "idle CPU, " + procs + " processes", "< 1 % core", cpuStats, "%"));
      summary.add(row("b", "agent threads, " + procs + " processes", "—", Stats.of(threads), ""));
    } finally {
      if (!closed) {
        host.close();
      }
    }
  }

  static long cpuTicks(long pid) throws IOException {
    String[] f = statFields(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14) + stime (15)
  }

  /** {utime+stime, cutime+cstime} of a process, in clock ticks. */
  static long[] cpuAndChildTicks(long pid) throws IOException {
    String[] f = statFields(Path.of("/proc/" + pid + "/stat"));
    return new long[] {
      Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
    };
  }

  /** Fields of a /proc stat line after the command: index 0 is field 3 (state). */
  static String[] statFields(Path stat) throws IOException {
    String s = Files.readString(stat);
    return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
  }

  static String comm(Path stat) throws IOException {
    String s = Files.readString(stat);
    return s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
  }

  /** Ticks per live thread, keyed "tid comm". */
  static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String[] f = statFields(t.resolve("stat"));
          m.put(
              t.getFileName() + " " + comm(t.resolve("stat")),
              Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException gone) {
          // thread ended
        }
      }
    }
    return m;
  }

  static String topThreads(Map<String, Long> before, Map<String, Long> after) {
    String top =
        after.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(8)
            .map(e -> e.getKey().substring(e.getKey().indexOf(' ') + 1) + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    return top.isEmpty() ? "none" : top;
  }

  /** {busy, total} jiffies of the whole machine, from /proc/stat. */
  static long[] machineTicks() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
    long[] v =
        Arrays.stream(cpu.substring(4).trim().split(" +")).mapToLong(Long::parseLong).toArray();
    long total = Arrays.stream(v).limit(8).sum();
    long idle = v[3] + v[4];
    return new long[] {total - idle, total};
  }

  static long fdCount(long pid) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return s.count();
    }
  }

  record ProcStatus(long rssKiB, long hwmKiB, int threads) {
    static ProcStatus read(long pid) throws IOException {
      long rss = 0;
      long hwm = 0;
      int threads = 0;
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
        } else if (l.startsWith("VmHWM:")) {
          hwm = Long.parseLong(l.replaceAll("[^0-9]", ""));
        } else if (l.startsWith("Threads:")) {
          threads = Integer.parseInt(l.replaceAll("[^0-9]", ""));
        }
      }
      return new ProcStatus(rss, hwm, threads);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // (c) spawn throughput

  private void spawnThroughput() throws Exception {
    int n = num("spawn-n", 500);
    int rounds = num("rounds", 5);
    int threads = num("threads", 8);
    header("c", "spawn throughput of `true`: " + rounds + " rounds × " + n + " spawns");
    String load0 = loadavg();
    ProcessSpec spec = ProcessSpec.builder("t", Command.of("true")).build();
    try (Host host = Host.local(stateDir("spawn"))) {
      long agentPid =
          java.util.Objects.requireNonNull(((AgentHost) host).agentProcess(), "agent process")
              .pid();
      List<HostProcess> warm = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        warm.add(host.spawn(spec));
      }
      int lost = awaitAll(warm);
      int spawned = warm.size();
      long[] cpu0 = cpuAndChildTicks(agentPid);
      double rss0 = ProcStatus.read(agentPid).rssKiB() / 1024.0;
      double[] seqRate = new double[rounds];
      double[] seqLat = new double[rounds * n];
      for (int r = 0; r < rounds; r++) {
        List<HostProcess> ps = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t = System.nanoTime();
          ps.add(host.spawn(spec));
          seqLat[r * n + i] = ms(System.nanoTime() - t);
        }
        seqRate[r] = n / ((System.nanoTime() - start) / 1e9);
        lost += awaitAll(ps);
        spawned += n;
      }
      double[] parRate = new double[rounds];
      double[] parLat = new double[rounds * n];
      for (int r = 0; r < rounds; r++) {
        List<HostProcess> ps = java.util.Collections.synchronizedList(new ArrayList<>(n));
        AtomicInteger next = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        int round = r;
        for (int t = 0; t < threads; t++) {
          ts.add(
              Thread.ofPlatform()
                  .name("bench-spawner-" + t)
                  .start(
                      () -> {
                        try {
                          go.await();
                        } catch (InterruptedException e) {
                          return;
                        }
                        int i;
                        while ((i = next.getAndIncrement()) < n) {
                          long t1 = System.nanoTime();
                          ps.add(host.spawn(spec));
                          parLat[round * n + i] = ms(System.nanoTime() - t1);
                        }
                      }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : ts) {
          t.join();
        }
        parRate[r] = n / ((System.nanoTime() - start) / 1e9);
        lost += awaitAll(ps);
        spawned += n;
      }
      long[] cpu1 = cpuAndChildTicks(agentPid);
      double rss1 = ProcStatus.read(agentPid).rssKiB() / 1024.0;
      int measured = 2 * rounds * n;
      Stats seq = Stats.of(seqRate);
      Stats par = Stats.of(parRate);
      line("c sequential spawns/s (per round of " + n + ")", seq, "/s");
      line("c   sequential spawn latency", Stats.of(seqLat), "ms");
      line("c " + threads + " threads spawns/s (per round of " + n + ")", par, "/s");
      line("c   " + threads + "-thread spawn latency", Stats.of(parLat), "ms");
      note(
          String.format(
              Locale.ROOT,
              "CPU per spawn+exit of `true`: agent JVM %.2f ms, the reaped children (trampoline +"
                  + " true) %.2f ms (from /proc/%d/stat utime+stime and cutime+cstime over %d)",
              10.0 * (cpu1[0] - cpu0[0]) / measured,
              10.0 * (cpu1[1] - cpu0[1]) / measured,
              agentPid,
              measured));
      note(
          String.format(
              Locale.ROOT,
              "agent RSS %.1f → %.1f MiB over %d spawns (its table keeps the 100 latest exited processes)",
              rss0,
              rss1,
              measured));
      note(
          "exit events lost by the client (process reaped, onExit() never completed): "
              + lost
              + " of "
              + spawned
              + (lost > 0 ? "  ← BUG, see BENCHMARKS.md" : ""));
      note("load " + load0 + " → " + loadavg());
      note(
          "no target in the issue; the floor is posix_spawn + wait of /bin/true ≈ 0.78 ms (≈ 1280/s"
              + " on one core)");
      summary.add(row("c", "spawn `true`, 1 thread", "—", seq, "/s"));
      summary.add(row("c", "spawn `true`, " + threads + " threads", "—", par, "/s"));
    }
  }

  /**
   * Waits until every process is gone from /proc (reaped by the agent), then up to a second more
   * for their onExit futures. Does not rely on onExit alone: an exit event the client drops would
   * hang the bench. Returns how many futures never completed although their process was reaped.
   */
  private static int awaitAll(List<HostProcess> ps) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (HostProcess p : ps) {
      while (Files.exists(Path.of("/proc/" + p.pid())) && !p.onExit().isDone()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(p + " still runs after 60 s");
        }
        Thread.sleep(1);
      }
    }
    long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    int lost;
    do {
      lost = (int) ps.stream().filter(p -> !p.onExit().isDone()).count();
      if (lost > 0) {
        Thread.sleep(5);
      }
    } while (lost > 0 && System.nanoTime() < grace);
    return lost;
  }

  // ---------------------------------------------------------------------------------------------
  // (d) Host.local(dir) until ready

  private void startup() throws Exception {
    int n = num("start-n", 20);
    int warmup = num("start-warmup", 1);
    header("d", "Host.local(fresh dir) → returns (agent JVM up, socket connected, hello answered)");
    String load0 = loadavg();
    double[] ready = new double[n];
    double[] listening = new double[n];
    double[] close = new double[n];
    double[] rss = new double[n];
    int withAot = 0;
    for (int i = -warmup; i < n; i++) {
      Path dir = stateDir("start" + (i + warmup));
      Instant wall0 = Instant.now();
      long t0 = System.nanoTime();
      Host host = Host.local(dir);
      long t1 = System.nanoTime();
      long pid =
          java.util.Objects.requireNonNull(((AgentHost) host).agentProcess(), "agent process")
              .pid();
      long rssKiB = ProcStatus.read(pid).hwmKiB();
      boolean aot =
          ProcessHandle.of(pid)
              .flatMap(h -> h.info().arguments())
              .map(a -> java.util.Arrays.stream(a).anyMatch(f -> f.startsWith("-XX:AOTCache=")))
              .orElse(false);
      host.close();
      long t2 = System.nanoTime();
      Instant listen = listeningAt(dir.resolve("agent.log"));
      if (i < 0) {
        note(String.format(Locale.ROOT, "warm-up start (not counted): %.1f ms", ms(t1 - t0)));
        continue;
      }
      ready[i] = ms(t1 - t0);
      close[i] = ms(t2 - t1);
      withAot += aot ? 1 : 0;
      listening[i] = listen == null ? Double.NaN : Duration.between(wall0, listen).toNanos() / 1e6;
      rss[i] = rssKiB / 1024.0;
    }
    Stats r = Stats.of(ready);
    line("d start (Host.local → ready)", r, "ms");
    line("d   launch → agent logs 'listening'", Stats.of(listening), "ms");
    line("d   agent peak RSS at ready (VmHWM)", Stats.of(rss), "MiB");
    line("d close (Host.close, no services)", Stats.of(close), "ms");
    note(
        "agent JVMs started with their AOT cache: "
            + withAot
            + " of "
            + n
            + " (the first start of a new agent jar trains it in the background)");
    note("load " + load0 + " → " + loadavg());
    verdict("d start", r.median() <= 300, "≤ 300 ms median", fmt(r.median()) + " ms");
    summary.add(row("d", "Host.local(dir) → ready", "≤ 300 ms", r, "ms"));
  }

  private static @org.jspecify.annotations.Nullable Instant listeningAt(Path log)
      throws IOException {
    for (String l : Files.readAllLines(log)) {
      if (l.contains("heddle-agent: listening on")) {
        return Instant.parse(l.substring(0, l.indexOf(' ')));
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------

  /** The connection behind a local host (package-private in heddle-core), for event timestamps. */
  static AgentConnection connection(Host host) throws ReflectiveOperationException {
    Method m = AgentHost.class.getDeclaredMethod("connection");
    m.setAccessible(true);
    return (AgentConnection) m.invoke(host);
  }

  private Path stateDir(String name) {
    return base.resolve(name);
  }

  private int num(String key, int dflt) {
    return Integer.parseInt(opts.getOrDefault(key, Integer.toString(dflt)));
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ", -1);
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void header(String id, String what) {
    System.out.println();
    System.out.println("## (" + id + ") " + what);
  }

  private static void line(String name, Stats s, String unit) {
    String u =
        unit.isEmpty() ? "" : (unit.startsWith("%") || unit.startsWith("/") ? "" : " ") + unit;
    System.out.printf(
        Locale.ROOT,
        "%s: median=%s%s p10=%s%s p90=%s%s min=%s%s max=%s%s n=%d%n",
        name,
        fmt(s.median()),
        u,
        fmt(s.p10()),
        u,
        fmt(s.p90()),
        u,
        fmt(s.min()),
        u,
        fmt(s.max()),
        u,
        s.n());
  }

  private static void note(String text) {
    System.out.println("  " + text);
  }

  private static void verdict(String name, boolean ok, String target, String got) {
    System.out.println(
        "  verdict "
            + name
            + ": "
            + (ok ? "MET" : "MISSED")
            + " (target "
            + target
            + "; got "
            + got
            + ")");
  }

  private static String row(String id, String what, String target, Stats s, String unit) {
    return String.format(
        Locale.ROOT,
        "| (%s) %s | %s | %s %s | p10 %s – p90 %s (min %s, max %s) | %d |",
        id,
        what,
        target,
        fmt(s.median()),
        unit,
        fmt(s.p10()),
        fmt(s.p90()),
        fmt(s.min()),
        fmt(s.max()),
        s.n());
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'; try --help");
      }
      String key = a.substring(2);
      if (key.equals("quick") || key.equals("help")) {
        m.put(key, "true");
      } else if (i + 1 < args.length) {
        m.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
    }
    return m;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Order statistics of a sample; percentiles interpolate linearly between ranks. */
  record Stats(double median, double p10, double p90, double min, double max, int n) {
    static Stats of(double[] values) {
      double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
      if (v.length == 0) {
        return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
      }
      return new Stats(q(v, 0.5), q(v, 0.1), q(v, 0.9), v[0], v[v.length - 1], v.length);
    }

    private static double q(double[] sorted, double q) {
      double pos = q * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = (int) Math.ceil(pos);
      return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
  }
}
