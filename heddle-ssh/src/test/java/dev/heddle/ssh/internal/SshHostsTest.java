package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ListeningSocket;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.Readiness;
import dev.heddle.SocketSpec;
import dev.heddle.internal.agent.AgentHost;
import dev.heddle.internal.agent.AgentJar;
import dev.heddle.ssh.SshHosts;
import dev.heddle.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SshHosts#connect} against h1's real OpenSSH: the fake hosts share this machine's
 * filesystem and its JDK, and /proc shows their processes, so the test checks remote effects
 * directly (a remote process is in h1's network namespace, not ours).
 */
class SshHostsTest {
  /** Serves HTTP on the socket it inherits at fd 3; starts a child to show tree kills. */
  private static final String WEB =
      """
      import http.server, socket, subprocess, sys
      child = subprocess.Popen(["sleep", "600"])
      print("child", child.pid, flush=True)
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              print("GET", self.path, flush=True)
              self.send_response(200); self.end_headers(); self.wfile.write(b"ok\\n")
          def log_message(self, *a):
              pass
      srv = http.server.HTTPServer(("127.0.0.1", 0), H, bind_and_activate=False)
      srv.socket.close()
      srv.socket = socket.socket(fileno=3)
      print("serving", flush=True)
      srv.serve_forever()
      """;

  @TempDir Path dir;

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  static SshTarget h(int i) {
    return SshTarget.of("root@" + TestHosts.address(i))
        .identity(TestHosts.DIR.resolve("id_ed25519"))
        .knownHosts(TestHosts.DIR.resolve("known_hosts"))
        .connectTimeout(Duration.ofSeconds(5))
        .java(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Where the same behaviour is checked: a local agent, and an agent on h1 over SSH. */
  enum Where {
    LOCAL,
    SSH_H1;

    Host open(Path stateDir) {
      return switch (this) {
        case LOCAL -> Host.local(stateDir);
        case SSH_H1 -> SshHosts.connect(h(1).stateDir(stateDir.toString()));
      };
    }
  }

  /**
   * The issue's promise, "an SSH host offers exactly what a local host offers", as one behaviour
   * run on both: a service on the host's loopback probed by that host's agent, its logs tailed and
   * followed, its tree stopped, and nothing left once the host is closed.
   */
  @ParameterizedTest
  @EnumSource(Where.class)
  void runsAServiceOnTheHostsLoopbackProbedTailedAndStoppedByItsAgent(Where where)
      throws Exception {
    Host host = where.open(dir.resolve("state"));
    long agentPid;
    long sshdPid = -1;
    long servicePid;
    long childPid;
    long sleeperPid;
    try {
      agentPid = ((Number) ((AgentHost) host).agentInfo().get("pid")).longValue();
      if (where == Where.SSH_H1) {
        assertEquals("10.77.0.1", host.name());
        assertFalse(threadsNamed("SshClient").isEmpty(), "no MINA client threads while connected?");
        assertEquals(netns("h1"), netnsOf(agentPid), "the agent does not run on h1");
        // the sshd process serving this connection on h1 ("sshd: root@notty"): the agent's parent
        sshdPid = ProcessHandle.of(agentPid).orElseThrow().parent().orElseThrow().pid();
      }

      ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
      ProcessSpec spec =
          ProcessSpec.builder("web", Command.of("python3", "-c", WEB)).inherit(socket).build();
      HostProcess web = host.spawn(spec);
      servicePid = web.pid();
      if (where == Where.SSH_H1) {
        assertEquals(netns("h1"), netnsOf(servicePid));
        // h1's 127.0.0.1 is not ours: only the agent on h1 can probe it
        assertNotEquals(netnsOf(ProcessHandle.current().pid()), netnsOf(servicePid));
      }
      Readiness.http("127.0.0.1", socket.port(), "/ready", Duration.ofSeconds(20)).await(web, spec);

      assertTrue(eventually(() -> web.tail(LogStream.STDOUT, 10).contains("serving")));
      childPid = Long.parseLong(web.tail(LogStream.STDOUT, 10).get(0).split(" ", 2)[1]);
      assertTrue(alive(childPid));
      List<String> followed = new CopyOnWriteArrayList<>();
      HostProcess.Following following = web.follow(LogStream.STDOUT, followed::add);
      try {
        Readiness.http("127.0.0.1", socket.port(), "/again", Duration.ofSeconds(20))
            .await(web, spec);
        assertTrue(eventually(() -> followed.contains("GET /again")), "followed: " + followed);
      } finally {
        following.close();
      }

      web.stop();
      assertFalse(alive(servicePid), "stop left the service running");
      assertTrue(eventually(() -> !alive(childPid)), "stop left the service's child running");

      HostProcess sleeper =
          host.spawn(ProcessSpec.builder("sleeper", Command.of("sleep", "600")).build());
      sleeperPid = sleeper.pid();
      assertTrue(alive(sleeperPid));
    } finally {
      host.close();
    }
    assertFalse(alive(sleeperPid), "closing the host left a service running");
    assertFalse(alive(agentPid), "closing the host left the agent running");
    long sshd = sshdPid;
    assertTrue(
        sshd < 0 || eventually(() -> !alive(sshd)), "closing the host left its SSH session on h1");
    String client = "agent-client/" + host.name() + "/";
    assertTrue(
        eventually(() -> threadsNamed(client).isEmpty()), "threads left: " + threadsNamed(client));
    assertTrue(
        eventually(() -> threadsNamed("SshClient").isEmpty()),
        "threads left: " + threadsNamed("SshClient"));
  }

  @Test
  void uploadsTheAgentJarOnceUnderItsHash() throws Exception {
    Path jar =
        Path.of(System.getProperty("user.home"))
            .resolve(".cache/heddle/agent-" + AgentJar.current().sha256() + ".jar");
    Host once = SshHosts.connect(h(1)); // the default state directory: a new one under run/
    Path runs = Path.of(System.getProperty("user.home"), ".cache/heddle/run");
    assertTrue(once.stateDir().startsWith(runs), once.stateDir().toString());
    once.close();
    try (var files = Files.walk(once.stateDir())) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertTrue(Files.isRegularFile(jar), jar + " missing");
    FileTime first = Files.getLastModifiedTime(jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(first.toMillis() - 60_000));
    FileTime aged = Files.getLastModifiedTime(jar);
    SshHosts.connect(h(1).stateDir(dir.resolve("state").toString())).close();
    assertEquals(aged, Files.getLastModifiedTime(jar), "the jar was uploaded again");
  }

  @Test
  void withoutAGracePeriodADroppedConnectionStopsEveryRemoteService() throws Exception {
    Host host =
        SshHosts.connect(
            h(2).stateDir(dir.resolve("state").toString()).reconnectGrace(Duration.ZERO));
    try {
      long agentPid = ((Number) ((AgentHost) host).agentInfo().get("pid")).longValue();
      long pid = host.spawn(ProcessSpec.builder("s", Command.of("sleep", "600")).build()).pid();
      // kill -9 of the sshd process serving our session: as if the network or controller died
      long sshd = ProcessHandle.of(agentPid).orElseThrow().parent().orElseThrow().pid();
      ProcessHandle.of(sshd).orElseThrow().destroyForcibly();
      assertTrue(eventually(() -> !alive(pid)), "the service outlived the dropped connection");
      assertTrue(eventually(() -> !alive(agentPid)), "the agent outlived the dropped connection");
    } finally {
      host.close();
    }
  }

  private static String netns(String name) throws IOException {
    return Files.readAttributes(Path.of("/run/netns", name), "unix:ino").get("ino").toString();
  }

  private static String netnsOf(long pid) throws IOException {
    return Files.readAttributes(Path.of("/proc/" + pid + "/ns/net"), "unix:ino")
        .get("ino")
        .toString();
  }

  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).charAt(0) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  static List<String> threadsNamed(String part) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.contains(part))
        .toList();
  }

  static boolean eventually(BooleanSupplier check) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
