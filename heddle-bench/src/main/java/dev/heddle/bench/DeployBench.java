package dev.heddle.bench;

import dev.heddle.Artifact;
import dev.heddle.Host;
import dev.heddle.ssh.SshHosts;
import dev.heddle.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code bench/deploy}: a closure of jars (random bytes, as incompressible as jars) deployed to the
 * fake hosts of {@code testhosts/up} with {@link Host#deployEverywhere}, cold (a new, empty store
 * per round) and warm (the same again), against {@code rsync} and {@code scp} of the same bytes to
 * the same hosts in the same run, all hosts in parallel. Heddle's SSH connections are made before
 * the clock starts; so are OpenSSH's (a ControlMaster per host). Each OpenSSH command still starts
 * a login shell on the host, whose cost ({@code ssh host true} over the master) is measured and
 * shown so the transfer itself can be compared.
 */
public final class DeployBench {
  private DeployBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    int megabytes = 100;
    int hostsN = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--mb" -> megabytes = Integer.parseInt(args[++i]);
        case "--hosts" -> hostsN = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: bench/deploy [--rounds N] [--mb MB] [--hosts N]");
          System.exit(2);
        }
      }
    }
    Path testhosts =
        Path.of(System.getenv().getOrDefault("HEDDLE_TESTHOSTS_DIR", "/var/lib/heddle-testhosts"));
    Path work = Files.createTempDirectory("deploy-bench-");
    Path closure = Files.createDirectories(work.resolve("closure"));
    List<Artifact> jars = makeClosure(closure, megabytes);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> addresses = new ArrayList<>();
    List<Path> remoteRoots = new ArrayList<>();
    for (int i = 1; i <= hostsN; i++) {
      addresses.add("10.77.0." + i);
      // each fake host's own directory tree (the hosts share this machine's file system)
      remoteRoots.add(Files.createDirectories(testhosts.resolve("h" + i + "/home/deploy-bench")));
    }
    System.out.printf(
        "# %d jars, %.1f MB, to %d hosts in parallel; %d rounds%n",
        jars.size(), bytes(jars) / 1e6, hostsN, rounds);
    List<Path> masters = new ArrayList<>();
    List<Process> masterProcs = new ArrayList<>();
    for (int i = 0; i < hostsN; i++) {
      Path sock = work.resolve("cm-" + i);
      masters.add(sock);
      masterProcs.add(
          new ProcessBuilder(ssh(testhosts, sock, "-M", "-N", "root@" + addresses.get(i)))
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("master-" + i + ".log").toFile())
              .start());
    }
    try {
      for (int i = 0; i < hostsN; i++) {
        waitForMaster(testhosts, masters.get(i), addresses.get(i));
      }
      double[] login = new double[rounds];
      double[] heddleCold = new double[rounds];
      double[] heddleWarm = new double[rounds];
      double[] rsyncCold = new double[rounds];
      double[] rsyncWarm = new double[rounds];
      double[] scpCold = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        List<Host> hosts = new ArrayList<>();
        try {
          for (int i = 0; i < hostsN; i++) {
            hosts.add(
                SshHosts.connect(
                    SshTarget.of("root@" + addresses.get(i))
                        .identity(testhosts.resolve("id_ed25519"))
                        .knownHosts(testhosts.resolve("known_hosts"))
                        .java(java)
                        .storeDir(remoteRoots.get(i).resolve("store-" + r).toString())));
          }
          long t0 = System.nanoTime();
          var _ = Host.deployEverywhere(hosts, jars, (h, s, t) -> {});
          heddleCold[r] = ms(t0);
          t0 = System.nanoTime();
          var _ = Host.deployEverywhere(hosts, jars, (h, s, t) -> {});
          heddleWarm[r] = ms(t0);
        } finally {
          hosts.forEach(Host::close);
        }
        final int round = r;
        login[r] =
            parallel(
                hostsN, i -> ssh(testhosts, masters.get(i), "root@" + addresses.get(i), "true"));
        rsyncCold[r] =
            parallel(
                hostsN,
                i ->
                    rsync(
                        testhosts,
                        masters.get(i),
                        closure,
                        addresses.get(i),
                        remoteRoots.get(i).resolve("rsync-" + round)));
        rsyncWarm[r] =
            parallel(
                hostsN,
                i ->
                    rsync(
                        testhosts,
                        masters.get(i),
                        closure,
                        addresses.get(i),
                        remoteRoots.get(i).resolve("rsync-" + round)));
        scpCold[r] =
            parallel(
                hostsN,
                i ->
                    scp(
                        testhosts,
                        masters.get(i),
                        closure,
                        addresses.get(i),
                        remoteRoots.get(i).resolve("scp-" + round)));
        System.out.printf(
            "round %d: heddle cold %.0f ms, warm %.0f ms; rsync cold %.0f ms, warm %.0f ms;"
                + " scp cold %.0f ms; login shell %.0f ms%n",
            r, heddleCold[r], heddleWarm[r], rsyncCold[r], rsyncWarm[r], scpCold[r], login[r]);
      }
      double[] rsyncNet = new double[rounds];
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        rsyncNet[r] = rsyncCold[r] - login[r];
        ratio[r] = heddleCold[r] / rsyncNet[r];
      }
      line("heddle cold", heddleCold, "ms");
      line("heddle warm", heddleWarm, "ms");
      line("rsync cold (with login shell)", rsyncCold, "ms");
      line("rsync cold minus login shell", rsyncNet, "ms");
      line("rsync warm (with login shell)", rsyncWarm, "ms");
      line("scp cold (with login shell)", scpCold, "ms");
      line("login shell (ssh host true)", login, "ms");
      line("heddle cold / rsync cold minus login", ratio, "");
      System.out.printf(
          "targets: cold <= 1.2x rsync: %s (median ratio %.2f); warm <= 500 ms: %s (median %.0f ms)%n",
          median(ratio) <= 1.2 ? "met" : "NOT met",
          median(ratio),
          median(heddleWarm) <= 500 ? "met" : "NOT met",
          median(heddleWarm));
    } finally {
      masterProcs.forEach(Process::destroy);
      for (Path root : remoteRoots) {
        deleteTree(root);
      }
      deleteTree(work);
    }
  }

  private static List<Artifact> makeClosure(Path dir, int megabytes) throws IOException {
    Random random = new Random(42);
    List<Artifact> jars = new ArrayList<>();
    long left = megabytes * 1_000_000L;
    for (int i = 0; left > 0; i++) {
      // a few big jars and many small ones, as a real closure has
      int size =
          (int) Math.min(left, i % 10 == 0 ? 12_000_000 : 200_000 + random.nextInt(1_500_000));
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      jars.add(Artifact.file(Files.write(dir.resolve("lib-" + i + ".jar"), bytes)));
      left -= size;
    }
    return jars;
  }

  private static List<String> ssh(Path testhosts, Path master, String... rest) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ssh",
                "-i",
                testhosts.resolve("id_ed25519").toString(),
                "-o",
                "UserKnownHostsFile=" + testhosts.resolve("known_hosts"),
                "-o",
                "BatchMode=yes",
                "-S",
                master.toString()));
    cmd.addAll(Arrays.asList(rest));
    return cmd;
  }

  private static String rsh(Path testhosts, Path master) {
    return String.join(" ", ssh(testhosts, master));
  }

  private static List<String> rsync(
      Path testhosts, Path master, Path closure, String address, Path target) {
    return List.of(
        "rsync",
        "-a",
        "-e",
        rsh(testhosts, master),
        closure + "/",
        "root@" + address + ":" + target + "/");
  }

  private static List<String> scp(
      Path testhosts, Path master, Path closure, String address, Path target) {
    return List.of(
        "scp",
        "-q",
        "-r",
        "-i",
        testhosts.resolve("id_ed25519").toString(),
        "-o",
        "UserKnownHostsFile=" + testhosts.resolve("known_hosts"),
        "-o",
        "ControlPath=" + master,
        closure.toString(),
        "root@" + address + ":" + target);
  }

  private static void waitForMaster(Path testhosts, Path master, String address) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Process p =
          new ProcessBuilder(ssh(testhosts, master, "-O", "check", "root@" + address))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no ssh master connection to " + address);
  }

  interface Command {
    List<String> of(int host);
  }

  /** Runs one command per host at once; the wall time in ms until all have exited. */
  private static double parallel(int hosts, Command command) throws Exception {
    long t0 = System.nanoTime();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      ps.add(
          new ProcessBuilder(command.of(i))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start());
    }
    for (Process p : ps) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            String.join(" ", p.info().arguments().orElse(new String[0])) + " failed");
      }
    }
    return ms(t0);
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  private static long bytes(List<Artifact> jars) throws IOException {
    long n = 0;
    for (Artifact a : jars) {
      n += Files.size(a.source());
    }
    return n;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void line(String what, double[] xs, String unit) {
    double[] s = xs.clone();
    Arrays.sort(s);
    System.out.printf(
        "%-40s median=%.2f%s min=%.2f max=%.2f n=%d%n",
        what, median(xs), unit, s[0], s[s.length - 1], s.length);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        q.toFile().setWritable(true);
        Files.deleteIfExists(q);
      }
    }
  }
}
