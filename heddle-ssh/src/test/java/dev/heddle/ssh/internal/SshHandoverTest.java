package dev.heddle.ssh.internal;

import static dev.heddle.ssh.internal.SshHostsTest.alive;
import static dev.heddle.ssh.internal.SshHostsTest.eventually;
import static dev.heddle.ssh.internal.SshHostsTest.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ProcessSpec;
import dev.heddle.internal.agent.AgentHost;
import dev.heddle.ssh.SshHosts;
import dev.heddle.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handover mode over SSH ({@link SshHosts#connectHandover}) against h3's real OpenSSH: the agent
 * keeps its services when the controller's SSH connection dies, and the next controller adopts
 * them.
 */
class SshHandoverTest {
  @TempDir Path dir;

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  @Test
  void aDeadConnectionLeavesTheServicesToTheNextProgramWhichAdoptsThem() throws Exception {
    SshTarget target = h(3).stateDir(dir.resolve("state").toString());
    ProcessSpec spec = ProcessSpec.builder("s", Command.of("sleep", "600")).build();
    // no reconnecting: this controller plays one that died with its connection
    Host first = SshHosts.connectHandover(target.reconnectGrace(java.time.Duration.ZERO));
    long agentPid = ((Number) ((AgentHost) first).agentInfo().get("pid")).longValue();
    long pid;
    try {
      assertEquals("handover", ((AgentHost) first).agentInfo().get("mode"));
      pid = first.spawn(spec).pid();
      // kill -9 of the sshd process serving the session: the program's death as h3 sees it
      long bridge = bridgePid();
      long sshd = ProcessHandle.of(bridge).orElseThrow().parent().orElseThrow().pid();
      ProcessHandle.of(sshd).orElseThrow().destroyForcibly();
      assertTrue(eventually(() -> !alive(bridge)), "the bridge outlived its connection");
      Thread.sleep(500);
      assertTrue(alive(pid), "the service died with the connection");
      assertTrue(alive(agentPid), "the agent died with the connection");
    } finally {
      first.close();
    }

    Host second = SshHosts.connectHandover(target);
    try {
      assertEquals(agentPid, ((Number) ((AgentHost) second).agentInfo().get("pid")).longValue());
      HostProcess adopted = second.adopt(spec).orElseThrow(() -> new AssertionError("not adopted"));
      assertEquals(pid, adopted.pid(), "not the same process");
      assertEquals(List.of(), second.stopUnadopted());
      var _ = adopted.stop();
      assertTrue(eventually(() -> !alive(pid)));
    } finally {
      second.close(); // nothing runs any more: the agent shuts down
    }
    assertTrue(eventually(() -> !alive(agentPid)), "the agent outlived its last service");
    assertTrue(
        eventually(() -> !Files.exists(dir.resolve("state").resolve("agent.sock"))),
        "the agent's socket is still there");
  }

  @Test
  void handoverWithoutAFixedStateDirectoryIsRefused() {
    var e = assertThrows(HeddleException.class, () -> SshHosts.connectHandover(h(3)));
    assertEquals("ssh-handover-needs-state-dir", e.code());
    assertTrue(e.getMessage().contains("SshTarget.stateDir"), e.getMessage());
  }

  /** The bridge serving this test's state directory on h3. */
  long bridgePid() throws Exception {
    List<Long> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = Files.readString(p.resolve("cmdline"));
          if (cmd.contains("dev.heddle.agent.AgentBridge") && cmd.contains(dir.toString())) {
            found.add(Long.parseLong(name));
          }
        } catch (java.io.IOException gone) {
          // exited meanwhile
        }
      }
    }
    assertEquals(1, found.size(), "bridges: " + found);
    return found.getFirst();
  }
}
