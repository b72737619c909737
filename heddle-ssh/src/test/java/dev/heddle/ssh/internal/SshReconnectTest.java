package dev.heddle.ssh.internal;

import static dev.heddle.ssh.internal.SshHostsTest.alive;
import static dev.heddle.ssh.internal.SshHostsTest.eventually;
import static dev.heddle.ssh.internal.SshHostsTest.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.ExitStatus;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ProcessSpec;
import dev.heddle.internal.agent.AgentHost;
import dev.heddle.ssh.SshHosts;
import dev.heddle.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session mode over SSH with a grace period ({@link SshTarget#reconnectGrace}), against h2's real
 * OpenSSH: a dropped connection is made again and the services run on, exactly once; a controller
 * that never comes back has its services stopped once the grace period has passed.
 */
class SshReconnectTest {
  @TempDir Path dir;

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  @Test
  void aDroppedConnectionIsMadeAgainAndTheServicesRunOnOnce() throws Exception {
    try (Host host = SshHosts.connect(h(2).stateDir(dir.resolve("state").toString()))) {
      long agentPid = ((Number) ((AgentHost) host).agentInfo().get("pid")).longValue();
      HostProcess p = host.spawn(ProcessSpec.builder("s", Command.of("sleep", "600")).build());
      long bridge = bridgePid(dir);
      long sshd = ProcessHandle.of(bridge).orElseThrow().parent().orElseThrow().pid();
      ProcessHandle.of(sshd).orElseThrow().destroyForcibly(); // the connection dies
      assertTrue(eventually(() -> !alive(bridge)), "the bridge outlived its connection");
      assertTrue(eventually(() -> bridgePidOrZero(dir) != 0), "no new connection");
      assertTrue(alive(p.pid()) && alive(agentPid), "the service or agent died meanwhile");
      // the new connection works, and nothing was started twice
      HostProcess q = host.spawn(ProcessSpec.builder("t", Command.of("sleep", "601")).build());
      assertEquals(1, count("sleep\0" + "600\0"), "the service runs more than once");
      // and exits are still reported through it
      new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
      ExitStatus status = p.awaitExit();
      assertEquals(new ExitStatus.Signaled(9, false), status);
      var _ = q.stop();
    }
  }

  @Test
  void aControllerThatNeverComesBackHasItsServicesStoppedAfterTheGrace() throws Exception {
    Path pidFile = dir.resolve("pid");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process controller =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Program.class.getName(),
                dir.resolve("state").toString(),
                pidFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("controller.log").toFile())
            .start();
    try {
      assertTrue(
          eventually(() -> Files.exists(pidFile)),
          "the controller did not start: " + Files.readString(dir.resolve("controller.log")));
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      controller.destroyForcibly(); // kill -9: it never comes back
      assertTrue(controller.waitFor(10, TimeUnit.SECONDS));
      Thread.sleep(1_000); // within the grace period (3 s) the service still runs
      assertTrue(alive(pid), "stopped before the grace period ended");
      assertTrue(eventually(() -> !alive(pid)), "the service outlived the grace period");
      assertTrue(
          eventually(() -> !Files.exists(dir.resolve("state").resolve("agent.sock"))),
          "the agent outlived the grace period");
    } finally {
      controller.destroyForcibly();
    }
  }

  /** The controller that dies: connects with a 3 s grace, starts a service, writes its pid. */
  public static final class Program {
    private Program() {}

    public static void main(String[] args) throws Exception {
      Host host = SshHosts.connect(h(2).stateDir(args[0]).reconnectGrace(Duration.ofSeconds(3)));
      long pid = host.spawn(ProcessSpec.builder("s", Command.of("sleep", "602")).build()).pid();
      Path tmp = Path.of(args[1] + ".tmp");
      Files.writeString(tmp, Long.toString(pid));
      Files.move(tmp, Path.of(args[1]));
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  static long count(String cmdline) throws Exception {
    long n = 0;
    for (Path p : procs()) {
      try {
        if (Files.readString(p.resolve("cmdline")).equals(cmdline) && alive(pidOf(p))) {
          n++;
        }
      } catch (java.io.IOException gone) {
        // exited meanwhile
      }
    }
    return n;
  }

  static long bridgePid(Path dir) throws Exception {
    long pid = bridgePidOrZero(dir);
    assertTrue(pid != 0, "no bridge for " + dir);
    return pid;
  }

  static long bridgePidOrZero(Path dir) {
    List<Long> found = new ArrayList<>();
    try {
      for (Path p : procs()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline"));
          if (cmd.contains("dev.heddle.agent.AgentBridge")
              && cmd.contains(dir.toString())
              && alive(pidOf(p))) {
            found.add(pidOf(p));
          }
        } catch (java.io.IOException gone) {
          // exited meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return found.size() == 1 ? found.getFirst() : 0;
  }

  private static List<Path> procs() throws java.io.IOException {
    try (var all = Files.list(Path.of("/proc"))) {
      return all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .toList();
    }
  }

  private static long pidOf(Path proc) {
    return Long.parseLong(proc.getFileName().toString());
  }
}
