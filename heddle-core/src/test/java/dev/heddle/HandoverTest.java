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
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HeddleException.class, () -> Host.localHandover(dir.resolve("state")));
    assertEquals("CONTROLLER_ATTACHED", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("already serves another controller"), e.getMessage());
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
  long run(String version, int port, String then) throws Exception {
    Path pidFile = dir.resolve("pid-" + controllers.size());
    launch(version, port, then, pidFile);
    assertTrue(
        Procs.eventually(30_000, () -> Files.exists(pidFile)), "no pid reported; log: " + log());
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  Process launch(String version, int port, String then, Path pidFile) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Program.class.getName(),
                dir.resolve("state").toString(),
                Integer.toString(port),
                version,
                pidFile.toString(),
                then)
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
