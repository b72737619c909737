package dev.heddle.bench;

import dev.heddle.agent.AgentMain;
import dev.heddle.internal.agent.AgentConnection;
import java.io.File;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compares agent JVM flag sets for start-up: launches the agent the way AgentLauncher does (same
 * polling for the socket, then connect and {@code hello}) but with the whole flag list under test,
 * interleaving the variants so a noisy machine hurts them alike. Archives (dynamic CDS, AOT cache)
 * are trained first by a session that spawns a few processes. Run: {@code bench/agent startup-flags
 * [--n 15]}.
 */
public final class StartupFlags {
  static final List<String> DEFAULTS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss512k",
          "-Xmx96m",
          "-XX:CICompilerCount=1",
          // The agent ends with _exit unless it trains: here it must exit through the JVM, which
          // writes the dynamic CDS archives and AOT caches these variants compare.
          "-Dheddle.agent.training=true");

  record Sample(double socketMs, double readyMs, double hwmMiB) {}

  public static void main(String[] args) throws Exception {
    int n = 15;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--n")) {
        n = Integer.parseInt(args[i + 1]);
      }
    }
    Path base = Files.createTempDirectory(Path.of("/tmp"), "hbflags");
    Path jsa = base.resolve("agent-dyn.jsa");
    Path aot = base.resolve("agent.aot");
    Path jsaNoSpec = base.resolve("agent-dyn-nospec.jsa");
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("defaults", DEFAULTS);
    variants.put("defaults -XX:-UsePerfData", plus(DEFAULTS, "-XX:-UsePerfData"));
    variants.put(
        "defaults + dynamic CDS (AutoCreateSharedArchive)",
        plus(DEFAULTS, "-XX:SharedArchiveFile=" + jsa, "-XX:+AutoCreateSharedArchive"));
    variants.put(
        "defaults + dynamic CDS -XX:-UsePerfData",
        plus(
            DEFAULTS,
            "-XX:SharedArchiveFile=" + jsa,
            "-XX:+AutoCreateSharedArchive",
            "-XX:-UsePerfData"));
    variants.put("defaults + AOT cache (JEP 483/514)", aotFlags("-XX:AOTCache=" + aot));
    String noSpec = "-Djdk.internal.foreign.DowncallLinker.USE_SPEC=false";
    variants.put("defaults + FFM USE_SPEC=false", plus(DEFAULTS, noSpec));
    variants.put(
        "defaults + dynamic CDS + FFM USE_SPEC=false",
        plus(
            DEFAULTS,
            "-XX:SharedArchiveFile=" + jsaNoSpec,
            "-XX:+AutoCreateSharedArchive",
            noSpec));
    variants.put(
        "defaults without TieredStopAtLevel=1/CICompilerCount=1",
        DEFAULTS.stream()
            .filter(f -> !f.startsWith("-XX:TieredStop") && !f.startsWith("-XX:CICompiler"))
            .toList());
    try {
      System.out.println(
          "# training: dynamic CDS archive and AOT cache (one session each, with spawns)");
      long t = System.nanoTime();
      session(
          base.resolve("train-cds"),
          variants.get("defaults + dynamic CDS (AutoCreateSharedArchive)"),
          20);
      System.out.printf(
          Locale.ROOT,
          "#   dynamic CDS: %s (%d KiB), first session incl. dump %.0f ms%n",
          jsa,
          Files.exists(jsa) ? Files.size(jsa) / 1024 : -1,
          (System.nanoTime() - t) / 1e6);
      session(
          base.resolve("train-cds-nospec"),
          variants.get("defaults + dynamic CDS + FFM USE_SPEC=false"),
          20);
      t = System.nanoTime();
      session(base.resolve("train-aot"), aotFlags("-XX:AOTCacheOutput=" + aot), 20);
      System.out.printf(
          Locale.ROOT,
          "#   AOT cache: %s (%d KiB), training session incl. assembly %.0f ms%n",
          aot,
          Files.exists(aot) ? Files.size(aot) / 1024 : -1,
          (System.nanoTime() - t) / 1e6);
      Map<String, List<Sample>> results = new LinkedHashMap<>();
      variants.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      for (int i = -1; i < n; i++) {
        for (var v : variants.entrySet()) {
          Sample s =
              session(
                  base.resolve("s" + i + "-" + Integer.toHexString(v.getKey().hashCode())),
                  v.getValue(),
                  0);
          if (i >= 0) {
            java.util.Objects.requireNonNull(results.get(v.getKey())).add(s);
          }
        }
      }
      System.out.println(
          "# launch → hello answered (ms), launch → socket connected (ms), agent VmHWM at ready (MiB); load "
              + AgentBench.loadavg());
      for (var e : results.entrySet()) {
        double[] ready = e.getValue().stream().mapToDouble(Sample::readyMs).toArray();
        double[] sock = e.getValue().stream().mapToDouble(Sample::socketMs).toArray();
        double[] hwm = e.getValue().stream().mapToDouble(Sample::hwmMiB).toArray();
        AgentBench.Stats r = AgentBench.Stats.of(ready);
        System.out.printf(
            Locale.ROOT,
            "%s: ready median=%s ms p10=%s p90=%s min=%s max=%s n=%d | connected median=%s ms | HWM median=%s MiB%n",
            e.getKey(),
            AgentBench.fmt(r.median()),
            AgentBench.fmt(r.p10()),
            AgentBench.fmt(r.p90()),
            AgentBench.fmt(r.min()),
            AgentBench.fmt(r.max()),
            r.n(),
            AgentBench.fmt(AgentBench.Stats.of(sock).median()),
            AgentBench.fmt(AgentBench.Stats.of(hwm).median()));
      }
    } finally {
      AgentBench.deleteTree(base);
    }
  }

  static List<String> aotFlags(String aotFlag) {
    List<String> l =
        new ArrayList<>(DEFAULTS.stream().filter(f -> !f.startsWith("-Xshare")).toList());
    l.add(aotFlag);
    return l;
  }

  static List<String> plus(List<String> flags, String... more) {
    List<String> l = new ArrayList<>(flags);
    l.addAll(List.of(more));
    return l;
  }

  /** One agent: launch, connect, hello; then {@code spawns} × `true`; then shutdown and wait. */
  static Sample session(Path stateDir, List<String> flags, int spawns) throws Exception {
    Files.createDirectories(stateDir);
    Path socket = stateDir.resolve("agent.sock");
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.addAll(flags);
    cmd.addAll(
        List.of(
            "-cp",
            Path.of(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString(),
            AgentMain.class.getName(),
            "--state-dir",
            stateDir.toString()));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile()))
            .redirectErrorStream(true)
            .start();
    AgentConnection conn = null;
    while (conn == null) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "agent exited "
                + p.exitValue()
                + ": "
                + cmd
                + "\n"
                + Files.readString(stateDir.resolve("agent.log")));
      }
      if (Files.exists(socket)) {
        try {
          SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(socket));
          conn =
              new AgentConnection(
                  "bench", Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
          break;
        } catch (java.io.IOException notYet) {
          // bound but not accepting yet
        }
      }
      Thread.sleep(2);
    }
    long t1 = System.nanoTime();
    conn.request(
            "hello",
            Map.of(
                "protocol",
                (long) dev.heddle.agent.internal.protocol.Frame.VERSION,
                "host",
                "bench"))
        .get(20, TimeUnit.SECONDS);
    long t2 = System.nanoTime();
    double hwm = AgentBench.ProcStatus.read(p.pid()).hwmKiB() / 1024.0;
    for (int i = 0; i < spawns; i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("service", "t");
      body.put("executable", "true");
      body.put("args", List.of());
      body.put("env", Map.of());
      body.put("inheritEnv", true);
      body.put("sockets", List.of());
      body.put("stopSignal", "TERM");
      body.put("stopGraceMs", 1000L);
      body.put("logMaxBytes", 1L << 20);
      body.put("logKeep", 1L);
      conn.request("spawn", body).get(20, TimeUnit.SECONDS);
      Thread.sleep(5);
    }
    try {
      conn.request("shutdown", Map.of()).get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // the agent may close before its reply to shutdown is written (AgentHost.close tolerates it
      // too)
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    conn.close();
    return new Sample((t1 - t0) / 1e6, (t2 - t0) / 1e6, hwm);
  }
}
