package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handover mode: the services outlive a killed controller, and the next run of the same program
 * attaches to the agent and adopts them instead of starting them again. Each controller is a real
 * JVM running {@link Program}; the service is a python3 server on an agent-held socket.
 */
class HandoverTest {
  @TempDir Path dir;
  final List<Process> controllers = new ArrayList<>();
  final List<Long> services = new ArrayList<>();

  @AfterEach
  void nothingIsLeft() throws Exception {
    for (Process c : controllers) {
      c.destroyForcibly();
      c.waitFor(10, TimeUnit.SECONDS);
    }
    try (Host host = Host.localHandover(dir.resolve("state"))) {
      host.stopUnadopted(); // whatever a failed test left
    }
    for (long pid : services) {
      assertTrue(Procs.eventually(5_000, () -> !Procs.alive(pid)), pid + " outlived the test");
    }
    assertTrue(
        Procs.eventually(5_000, () -> !Files.exists(dir.resolve("state").resolve("agent.sock"))),
        "the agent still runs");
  }

  @Test
  void aKilledControllersServiceKeepsServingAndTheNextRunAdoptsIt() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    assertEquals("served by " + first, request(port));

    controllers.getLast().destroyForcibly(); // kill -9: no shutdown hook, no scope close
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));
    assertTrue(Procs.alive(first), "the service died with its controller");
    assertEquals("served by " + first, request(port), "not served while no controller ran");

    long second = run("v1", port, "exit");
    assertEquals(first, second, "the second run started the service again instead of adopting");
    assertTrue(controllers.getLast().waitFor(30, TimeUnit.SECONDS), "the second run never ended");
    assertEquals(0, controllers.getLast().exitValue(), log());
    // its scope closed normally: the service stopped, and with nothing left the agent shut down
    assertTrue(Procs.eventually(5_000, () -> !Procs.alive(first)), "still running after close");
  }

  @Test
  void aRunWithAnotherCommandStartsItsOwnAndStopsTheOneItDidNotAdopt() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    controllers.getLast().destroyForcibly();
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));

    long second = run("v2", port, "stay");
    services.add(second);
    assertNotEquals(first, second);
    assertTrue(Procs.eventually(10_000, () -> !Procs.alive(first)), "v1 was not stopped");
    assertEquals("served by " + second, request(port));
  }

  @Test
  void anExitWhileNoControllerWasAttachedIsReportedToTheNextRun() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    controllers.getLast().destroyForcibly();
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));
    new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
    assertTrue(Procs.eventually(5_000, () -> !Procs.alive(first)));

    long second = run("v1", port, "stay");
    services.add(second);
    assertNotEquals(first, second, "a dead process cannot be adopted");
    assertTrue(
        Procs.eventually(
            5_000,
            () ->
                log()
                    .contains(
                        "while no controller was attached, on local: srv#1 (pid "
                            + first
                            + ") killed by SIGKILL")),
        log());
    assertEquals("served by " + second, request(port));
  }

  @Test
  void aSecondProgramWhileTheFirstStillRunsIsRefusedWithAClearError() throws Exception {
    int port = freePort();
    services.add(run("v1", port, "stay"));
    controllers.getLast().destroyForcibly(); // the first program started the agent; the next one
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS)); // attaches to it
    services.add(run("v1", port, "stay"));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HeddleException.class, () -> Host.localHandover(dir.resolve("state")));
    assertEquals("CONTROLLER_ATTACHED", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("already serves another controller"), e.getMessage());
    assertTrue(
        e.getMessage().contains("the program dev.heddle.HandoverTest$Program (pid "),
        "the first program is not named: " + e.getMessage());
  }

  @Test
  void theAgentRefusesAnUnknownMode() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process agent =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.heddle.agent.AgentMain",
                "--state-dir",
                dir.resolve("odd").toString(),
                "--mode",
                "forever")
            .redirectErrorStream(true)
            .start();
    String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, agent.exitValue(), out);
    assertTrue(out.contains("--mode is session or handover, got 'forever'"), out);
  }

  @Test
  void aNewVersionThatNeverBecomesReadyLeavesTheEarlierSystemServing() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    long base = pidOf("base");
    controllers.getLast().destroyForcibly();
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));

    Process broken = launch("broken", port, "stay", dir.resolve("pid-broken"));
    assertTrue(broken.waitFor(60, TimeUnit.SECONDS), "the broken run did not give up: " + log());
    assertNotEquals(0, broken.exitValue(), log());
    assertTrue(log().contains("did not become ready"), log());
    // rolled back: the earlier srv and base still run, untouched, and serve
    assertTrue(Procs.alive(first) && Procs.alive(base), "the earlier system was stopped");
    assertEquals(base, pidOf("base"));
    assertEquals("served by " + first, request(port));

    long again = run("v1", port, "stay"); // and the earlier version takes it over once more
    assertEquals(first, again);
  }

  @Test
  void anAdoptedServiceThatCrashesIsRestartedOnItsSocket() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    controllers.getLast().destroyForcibly();
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));
    assertEquals(first, run("v1", port, "stay"));
    new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
    assertTrue(
        Procs.eventually(10_000, () -> served(port) && !served(port, first)),
        "srv was not restarted after adoption: " + log() + agentLog());
  }

  /** Whether something answers on port (and, with a pid, that process). */
  static boolean served(int port, long... by) {
    try {
      String r = request(port);
      return by.length == 0 || r.equals("served by " + by[0]);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void anAgentOfAnotherBuildIsUpgradedInPlaceAndKeepsItsServicesAndSockets() throws Exception {
    int port = freePort();
    long first = run("v1", port, "stay");
    services.add(first);
    long base = pidOf("base");
    long agent = agentPid();
    controllers.getLast().destroyForcibly();
    assertTrue(controllers.getLast().waitFor(10, TimeUnit.SECONDS));

    Path newer = otherAgentBuild(dir.resolve("agent-v2"));
    long second = run("v1", port, "stay", "-Dheddle.agent.classpath=" + newer);
    assertEquals(first, second, "the service was started again: " + log());
    assertEquals(agent, agentPid(), "the agent's pid changed: " + log());
    String cmdline = Files.readString(Path.of("/proc/" + agent + "/cmdline"));
    assertTrue(cmdline.contains(newer.toString()), "not the new agent program: " + cmdline);
    assertTrue(log().contains("upgraded the agent of"), log());
    assertEquals(base, pidOf("base"));
    assertEquals("served by " + first, request(port), "the socket was not handed over");

    // the new agent program watches what it took over: a crash is seen and restarted on the
    // same socket
    new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
    assertTrue(
        Procs.eventually(
            10_000,
            () -> {
              try {
                return !request(port).equals("served by " + first);
              } catch (Exception e) {
                return false;
              }
            }),
        "srv was not restarted after the upgrade: " + log() + agentLog());
  }

  @Test
  void aHandOverFileThatCannotBeReadIsReportedAndNothingIsKilled() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    try {
      Path state = dir.resolve("restore-bad");
      Files.createDirectories(state);
      Path file = state.resolve("upgrade.frame");
      Files.write(file, new byte[] {0, 0, 0, 9, 1, 2, 3});
      String out = restoreAgent(state, file);
      assertTrue(out.contains("cannot read what its previous program handed over in " + file), out);
      assertTrue(out.contains("nothing was killed"), out);
      assertTrue(Files.exists(state.resolve("upgrade.frame.unreadable")), "not moved aside");
      assertTrue(sleeper.isAlive());
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void aMissingHandOverFileIsReportedAndNothingIsKilled() throws Exception {
    Path state = dir.resolve("restore-missing");
    Files.createDirectories(state);
    String out = restoreAgent(state, state.resolve("upgrade.frame"));
    assertTrue(out.contains("cannot read what its previous program handed over"), out);
    assertTrue(out.contains("NoSuchFileException") || out.contains("upgrade.frame"), out);
  }

  @Test
  void aHandedOverPidThatNowNamesAnotherProcessIsNotAdoptedNorTouched() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "600").start();
    try {
      Path state = dir.resolve("restore-reused");
      Files.createDirectories(state);
      long startTime = Procs.startTime(stranger.pid());
      Path file = state.resolve("upgrade.frame");
      // two records naming the stranger's pid: one with another start time (the pid was
      // recycled), one with its real start time (but it is not the agent's child)
      Files.write(
          file,
          dev.heddle.agent.internal.protocol.FrameCodec.encode(
              dev.heddle.agent.internal.protocol.Frame.event(
                  "upgrade",
                  java.util.Map.of(
                      "processes",
                      List.of(
                          handedOver("old#1", stranger.pid(), startTime - 1),
                          handedOver("old#2", stranger.pid(), startTime))))));
      String out = restoreAgent(state, file);
      assertTrue(
          out.contains(
              "old#1 was not adopted: pid " + stranger.pid() + " now belongs to another process"),
          out);
      assertTrue(out.contains("old#2 was not adopted"), out);
      assertTrue(out.contains("0 process(es)"), out);
      Thread.sleep(200);
      assertTrue(stranger.isAlive(), "the agent touched a process that was not its own");
    } finally {
      stranger.destroyForcibly();
    }
  }

  static java.util.Map<String, Object> handedOver(String processId, long pid, long startTime) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("processId", processId);
    m.put("service", processId.substring(0, processId.indexOf('#')));
    m.put("incarnation", 1L);
    m.put("pid", pid);
    m.put("startTime", startTime);
    m.put("pidfdInode", 0L);
    m.put("logDir", "/tmp");
    m.put("command", List.of("sleep", "600"));
    m.put("stopSignal", "SIGTERM");
    m.put("stopGraceMs", 1000L);
    m.put("logMaxBytes", 1L << 20);
    m.put("logKeep", 1L);
    return m;
  }

  /**
   * Starts an agent with {@code --restore file} (as an upgrade in place would), waits until it
   * accepts, stops it, and returns its output.
   */
  String restoreAgent(Path state, Path file) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path out = state.resolve("agent.out");
    Process agent =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.heddle.agent.AgentMain",
                "--state-dir",
                state.toString(),
                "--mode",
                "handover",
                "--attach-timeout",
                "1",
                "--restore",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      assertTrue(
          Procs.eventually(
              20_000,
              () -> {
                try {
                  return Files.readString(out).contains("listening on");
                } catch (java.io.IOException e) {
                  return false;
                }
              }),
          "the agent did not start");
      Thread.sleep(300); // the restore runs right after the socket is bound
      return Files.readString(out);
    } finally {
      agent.destroy();
      assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
    }
  }

  String agentLog() {
    try {
      StringBuilder logs = new StringBuilder();
      try (var walk = Files.walk(dir.resolve("state").resolve("logs"))) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          logs.append("\n").append(f).append(":\n").append(Files.readString(f));
        }
      }
      return "\nagent.log:\n" + Files.readString(dir.resolve("state").resolve("agent.log")) + logs;
    } catch (java.io.IOException e) {
      return "(no agent.log)";
    }
  }

  /** The pid of this test's handover agent. */
  long agentPid() throws Exception {
    List<Long> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = Files.readString(p.resolve("cmdline"));
          if (cmdline.contains("dev.heddle.agent.AgentMain")
              && cmdline.contains(dir.resolve("state").toString() + "\0")) {
            found.add(Long.parseLong(name));
          }
        } catch (java.io.IOException gone) {
          // exited meanwhile
        }
      }
    }
    assertEquals(1, found.size(), "agents: " + found);
    return found.getFirst();
  }

  /**
   * A copy of the agent's classes with one more file: another build of the same agent (its sha256
   * differs), as a newer Heddle would bring.
   */
  static Path otherAgentBuild(Path target) throws Exception {
    Path source = Path.of(dev.heddle.internal.agent.AgentLauncher.agentClasspath());
    Files.createDirectories(target);
    if (Files.isDirectory(source)) {
      try (var walk = Files.walk(source)) {
        for (Path p : walk.toList()) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    } else {
      try (var jar = new java.util.jar.JarFile(source.toFile())) {
        for (var e : java.util.Collections.list(jar.entries())) {
          Path to = target.resolve(e.getName());
          if (e.isDirectory()) {
            Files.createDirectories(to);
          } else {
            Files.createDirectories(to.getParent());
            try (var in = jar.getInputStream(e)) {
              Files.copy(in, to);
            }
          }
        }
      }
    }
    Files.writeString(target.resolve("heddle-agent-build-note.txt"), "the next build\n");
    return target;
  }

  /** The pid of the one running {@code sleep 600} of this test's agent: service's (base). */
  long pidOf(String service) throws Exception {
    List<Long> found = new ArrayList<>();
    for (long pid : Procs.withMarker("sleep")) {
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
      if (cmdline.endsWith("sleep\0" + "600\0") && isUnder(pid, dir)) {
        found.add(pid);
      }
    }
    assertEquals(1, found.size(), service + ": " + found);
    return found.getFirst();
  }

  /** Whether pid's cgroup or log files lie under dir (the test's agent started it). */
  static boolean isUnder(long pid, Path dir) {
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).startsWith(dir)) {
            return true;
          }
        } catch (java.io.IOException gone) {
          // closed meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  /** Runs {@link Program} in a new JVM; returns the service pid it reports. */
  long run(String version, int port, String then, String... jvmOptions) throws Exception {
    Path pidFile = dir.resolve("pid-" + controllers.size());
    launch(version, port, then, pidFile, jvmOptions);
    assertTrue(
        Procs.eventually(30_000, () -> Files.exists(pidFile)), "no pid reported; log: " + log());
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  Process launch(String version, int port, String then, Path pidFile, String... jvmOptions)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Program.class.getName(),
            dir.resolve("state").toString(),
            Integer.toString(port),
            version,
            pidFile.toString(),
            then));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("controllers.log").toFile()))
            .start();
    controllers.add(p);
    return p;
  }

  String log() {
    try {
      return Files.readString(dir.resolve("controllers.log"));
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String request(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port);
        var in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      s.setSoTimeout(5_000); // a socket nobody accepts on: fail, never hang
      return in.readLine();
    }
  }

  /**
   * The program under test: {@code STATE PORT VERSION PIDFILE stay|exit}. Supervises one server
   * (VERSION is part of its command, so v2 is a changed service), writes its pid, then waits
   * forever (stay) or closes its scope and host (exit).
   */
  public static final class Program {
    private Program() {}

    public static void main(String[] args) throws Exception {
      String serve =
          """
          import os, socket, sys
          s = socket.socket(fileno=3)
          print("serving", flush=True)
          while True:
              c, _ = s.accept()
              c.sendall(("served by %d\\n" % os.getpid()).encode())
              c.close()
          """;
      if (args[2].equals("broken")) { // a new version that never becomes ready
        serve = "import time; time.sleep(600)";
      }
      try (Host host = Host.localHandover(Path.of(args[0]));
          Scope scope = Scope.open("handover")) {
        ListeningSocket socket =
            host.listen(SocketSpec.tcp("127.0.0.1", Integer.parseInt(args[1])));
        var _ = scope.supervise(Service.named("base").on(host).command(Command.of("sleep", "600")));
        ServiceHandle h =
            scope.supervise(
                Service.named("srv")
                    .on(host)
                    .command(Command.of("python3", "-c", serve, args[2]))
                    .inherit(socket)
                    .restart(RestartPolicy.permanent())
                    .readyWhen(Readiness.logLine("^serving$", java.time.Duration.ofSeconds(3))));
        host.stopUnadopted();
        Path tmp = Path.of(args[3] + ".tmp");
        Files.writeString(tmp, Long.toString(h.current().pid()));
        Files.move(tmp, Path.of(args[3]));
        if (args[4].equals("stay")) {
          Thread.sleep(Long.MAX_VALUE);
        }
      }
    }
  }
}
