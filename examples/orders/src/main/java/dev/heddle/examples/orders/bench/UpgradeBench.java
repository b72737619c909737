package dev.heddle.examples.orders.bench;

import dev.heddle.examples.orders.client.Load;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/upgrade}: the orders system in handover mode ({@code bin/orders --handover}) under
 * continuous load (8 clients, each sending orders one after another over its own connection and
 * reconnecting when it breaks), through the events of issue 7, one line per scenario: {@code
 * <scenario> requests=N failed=F refused=R} where requests are the orders acknowledged during the
 * scenario's window, failed the orders that were rejected or given up (each order carries an
 * idempotency key and is sent again on a new connection when its connection broke before the
 * answer, for up to 30 s: see {@link Load}), and refused the connections refused. The comment after
 * each line counts the broken connections and the orders sent again. Scenarios: (a) kill -9 of
 * orderd → restarted by the supervisor; (b) kill -9 of the program, then the same program again →
 * adoption; (c) the program again with a changed orderd (another {@code --limit}) → orderd replaced
 * on the same socket. (d) rollback is tested (heddle-core HandoverTest) but not measured here, and
 * (e) an agent upgrade in place is not built yet. Each scenario's window is long enough for at
 * least {@code --min-requests} (10,000) requests.
 *
 * <p>Options: {@code --clients N} (8), {@code --min-requests N} (10000).
 */
public final class UpgradeBench {
  private UpgradeBench() {}

  public static void main(String[] args) throws Exception {
    int clients = 8;
    long minRequests = 10_000;
    String hosts = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        usage(args[i] + " needs a value");
      }
      try {
        switch (args[i]) {
          case "--clients" -> clients = Integer.parseInt(args[i + 1]);
          case "--min-requests" -> minRequests = Long.parseLong(args[i + 1]);
          case "--hosts" -> hosts = args[i + 1];
          default -> usage("unknown option " + args[i]);
        }
      } catch (NumberFormatException e) {
        usage(args[i] + " takes a whole number, got '" + args[i + 1] + "'");
      }
    }
    if (hosts != null) {
      acrossHosts(hosts, clients, minRequests);
      return;
    }
    Path dir = Files.createTempDirectory("heddle-upgrade-bench");
    int port = freePort();
    var address = new InetSocketAddress("127.0.0.1", port);
    ProgramLauncher programs = new ProgramLauncher(dir, port);
    Load load = null;
    try {
      var _ = programs.start("1000000");
      load = new Load(address, clients, false);
      awaitRequests(load, 500); // warm-up
      scenario("a", load, minRequests, () -> kill(pid(dir, "OrderdMain")));
      scenario(
          "b",
          load,
          minRequests,
          () -> {
            long before = pid(dir, "OrderdMain");
            programs.kill9();
            var _ = programs.start("1000000");
            long after = pid(dir, "OrderdMain");
            return before == after ? "orderd adopted (pid " + after + ")" : "orderd RESTARTED";
          });
      scenario(
          "c",
          load,
          minRequests,
          () -> {
            long before = pid(dir, "OrderdMain");
            programs.kill9();
            var _ = programs.start("999999");
            return "orderd pid " + before + " → " + pid(dir, "OrderdMain");
          });
      scenario(
          "d",
          load,
          minRequests,
          () -> {
            long before = pid(dir, "OrderdMain");
            programs.kill9();
            int code = programs.runToFailure("999998", "--orderd-arg", "--no-such-option");
            long after = pid(dir, "OrderdMain");
            var _ = programs.start("999999"); // the earlier version again, adopting everything
            return "the new version exited "
                + code
                + (before == after ? "; orderd pid " + after + " kept serving" : "; orderd CHANGED")
                + "; the earlier version adopted it again (pid "
                + pid(dir, "OrderdMain")
                + ")";
          });
      Path newer = otherAgentBuild(dir.resolve("agent-next.jar"));
      scenario(
          "e",
          load,
          minRequests,
          () -> {
            long agent = pid(dir, "dev.heddle.agent.AgentMain");
            long orderd = pid(dir, "OrderdMain");
            programs.kill9();
            programs.agentClasspath(newer);
            var _ = programs.start("999999");
            long agentAfter = pid(dir, "dev.heddle.agent.AgentMain");
            boolean upgraded =
                Files.readString(Path.of("/proc/" + agentAfter + "/cmdline"))
                    .contains(newer.toString());
            return (upgraded ? "agent upgraded in place" : "agent NOT upgraded")
                + " (pid "
                + agent
                + " → "
                + agentAfter
                + "), orderd pid "
                + orderd
                + " → "
                + pid(dir, "OrderdMain");
          });
      load.stop();
      Load.Result check = Load.verify(address, java.util.Map.of());
      System.out.println(
          "# after: "
              + check.stored()
              + " orders stored; every position is the sum of its stored orders: "
              + check.sums().equals(check.positions())
              + " "
              + check.positions());
    } finally {
      if (load != null) {
        load.stop();
      }
      programs.stopAll();
      deleteTree(dir);
    }
  }

  /**
   * Another build of the agent, as a newer Heddle would bring: this one's classes (as {@link
   * dev.heddle.internal.agent.AgentJar} packs them) plus one more file, so its sha256 differs.
   */
  static Path otherAgentBuild(Path jar) throws IOException {
    var current = new java.io.ByteArrayOutputStream();
    dev.heddle.internal.agent.AgentJar.current().writeTo(current);
    try (var in =
            new java.util.jar.JarInputStream(
                new java.io.ByteArrayInputStream(current.toByteArray()));
        var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), in.getManifest())) {
      for (var e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
        out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new java.util.jar.JarEntry("heddle-agent-build-note.txt"));
      out.write("the next build\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * Scenario (b) across SSH hosts ({@code --hosts P,O,L}, see {@code bin/orders --hosts}): this
   * program's load client sends orders to orderd on O while the program is killed with -9 and
   * started again; the agents on the three hosts keep the services, and the new run adopts them.
   */
  private static void acrossHosts(String hosts, int clients, long minRequests) throws Exception {
    Path dir = Files.createTempDirectory("heddle-upgrade-bench");
    int port = freePort();
    String[] names = hosts.split(",", -1);
    var address = new InetSocketAddress(dev.heddle.ssh.Inventory.load().address(names[1]), port);
    ProgramLauncher programs = new ProgramLauncher(dir, port);
    Load load = null;
    try {
      var _ = programs.start("1000000", "--hosts", hosts, "--load-clients", "0");
      load = new Load(address, clients, false);
      awaitRequests(load, 500); // warm-up
      scenario(
          "b-ssh",
          load,
          minRequests,
          () -> {
            long orderd = pid(dir, "OrderdMain");
            long positiond = pid(dir, "PositiondMain");
            programs.kill9();
            var _ = programs.start("1000000", "--hosts", hosts, "--load-clients", "0");
            boolean kept =
                orderd == pid(dir, "OrderdMain") && positiond == pid(dir, "PositiondMain");
            return (kept ? "orderd and positiond adopted" : "a service was RESTARTED")
                + " (orderd pid "
                + orderd
                + " on "
                + names[1]
                + ", positiond pid "
                + positiond
                + " on "
                + names[0]
                + ")";
          });
      load.stop();
      Load.Result check = Load.verify(address, java.util.Map.of());
      System.out.println(
          "# after: "
              + check.stored()
              + " orders stored; every position is the sum of its stored orders: "
              + check.sums().equals(check.positions()));
    } finally {
      if (load != null) {
        load.stop();
      }
      programs.stopAll();
      deleteTree(dir);
    }
  }

  interface Action {
    String run() throws Exception;
  }

  /** Runs action under load and prints the scenario's line. */
  private static void scenario(String name, Load load, long minRequests, Action action)
      throws Exception {
    long acks0 = load.acked();
    long broken0 = load.broken.get();
    long retried0 = load.retried.get();
    long gaveUp0 = load.gaveUp.get();
    long rejected0 = load.rejected.get();
    long refused0 = load.refused.get();
    awaitRequests(load, 1_000); // some load before the event
    long t0 = System.nanoTime();
    String what = action.run();
    long eventMs = (System.nanoTime() - t0) / 1_000_000;
    while (load.acked() - acks0 < minRequests) {
      Thread.sleep(100);
    }
    System.out.printf(
        "%s requests=%d failed=%d refused=%d  # %s; the event took %d ms; connections broken"
            + " %d, orders sent again %d, given up %d, rejected %d%n",
        name,
        load.acked() - acks0,
        load.gaveUp.get() - gaveUp0 + load.rejected.get() - rejected0,
        load.refused.get() - refused0,
        what,
        eventMs,
        load.broken.get() - broken0,
        load.retried.get() - retried0,
        load.gaveUp.get() - gaveUp0,
        load.rejected.get() - rejected0);
  }

  private static void awaitRequests(Load load, long n) throws InterruptedException {
    long start = load.acked();
    while (load.acked() - start < n) {
      Thread.sleep(20);
    }
  }

  private static String kill(long pid) throws Exception {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return "kill -9 of orderd pid " + pid;
  }

  /**
   * The one live process of the system in dir whose command line names mainClass, not counting its
   * spare (heddle-exec waiting with that command line to be its next incarnation); waits up to 30 s
   * for there to be exactly one.
   */
  public static long pid(Path dir, String mainClass) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<Long> found = new ArrayList<>();
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.toList()) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
            String argv0 = cmd.split(" ", 2)[0];
            String stat = Files.readString(p.resolve("stat"));
            boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
            if (cmd.contains(mainClass)
                && cmd.contains(dir.toString())
                && !argv0.endsWith("heddle-exec")
                && !zombie) {
              found.add(Long.parseLong(name));
            }
          } catch (IOException gone) {
            // exited meanwhile
          }
        }
      }
      if (found.size() == 1) {
        return found.getFirst();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(mainClass + " processes: " + found);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Runs {@code bin/orders --handover} ({@code OrdersMain}, with the caller's class path) in JVMs
   * of its own, one after another, with its state in {@code dir/state} and each run's output in
   * {@code dir/run-N.log}; the bench and the orders HandoverTest use it.
   */
  public static final class ProgramLauncher {
    private final Path dir;
    private final int port;
    private final List<Process> runs = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();

    /** Later runs take the agent's classes from {@code classpath} (another agent build). */
    public void agentClasspath(Path classpath) {
      jvmOptions.add("-Dheddle.agent.classpath=" + classpath);
    }

    public ProgramLauncher(Path dir, int port) {
      this.dir = dir;
      this.port = port;
    }

    /**
     * Starts a run with orderd's {@code --limit} (and more options of bin/orders); returns once it
     * says it runs (60 s at most).
     */
    public Process start(String limit, String... more) throws Exception {
      Path log = dir.resolve("run-" + runs.size() + ".log");
      Process p = launch(log, limit, more);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log).contains("orders: handover mode")) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the program did not start:\n" + Files.readString(log));
        }
        Thread.sleep(20);
      }
      return p;
    }

    /**
     * Runs the program with orderd's {@code --limit} and more options, expecting it to fail to
     * start (120 s at most); returns its exit code.
     */
    public int runToFailure(String limit, String... more) throws Exception {
      Path log = dir.resolve("run-" + runs.size() + ".log");
      Process p = launch(log, limit, more);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the program did not give up:\n" + Files.readString(log));
      }
      if (Files.readString(log).contains("orders: handover mode")) {
        throw new IllegalStateException("the program started:\n" + Files.readString(log));
      }
      return p.exitValue();
    }

    private Process launch(Path log, String limit, String... more) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-XX:+UseSerialGC"));
      command.addAll(jvmOptions);
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "dev.heddle.examples.orders.OrdersMain",
              "--handover",
              "--state-dir",
              dir.resolve("state").toString(),
              "--port",
              Integer.toString(port),
              "--no-audit",
              "--limit",
              limit));
      command.addAll(List.of(more));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      runs.add(p);
      return p;
    }

    /** kill -9 of the latest run. */
    public void kill9() throws InterruptedException {
      Process p = runs.getLast();
      p.destroyForcibly();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("run " + p.pid() + " outlived its SIGKILL by 10 s");
      }
    }

    /** Every run's output so far. */
    public String log() {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < runs.size(); i++) {
        try {
          all.append(Files.readString(dir.resolve("run-" + i + ".log")));
        } catch (IOException e) {
          all.append("(no log for run ").append(i).append(")\n");
        }
      }
      return all.toString();
    }

    /** SIGTERM to every run (the live one stops the system), SIGKILL after 30 s. */
    public void stopAll() throws InterruptedException {
      for (Process p : runs) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void usage(String problem) {
    System.err.println(
        "bench/upgrade: "
            + problem
            + "\nusage: bench/upgrade [--clients N] [--min-requests N] [--hosts P,O,L]");
    System.exit(2);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
