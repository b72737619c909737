package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.SocketSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A passing test leaves nothing behind: no process, no agent, no directory. */
class CleanupTest {
  static final List<Long> PIDS = new CopyOnWriteArrayList<>();
  static final List<Path> DIRS = new CopyOnWriteArrayList<>();

  @HeddleTest
  @OnlyInKit
  static class PassingSample {
    @Test
    void runsTwoServices(Scope scope, Host host, Path dir) throws Exception {
      DIRS.add(dir);
      ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
      var web =
          scope.supervise(
              Service.named("web")
                  .on(host)
                  .command(Command.of("sleep", "63"))
                  .inherit(socket)
                  .restart(RestartPolicy.permanent()));
      var worker =
          scope.supervise(
              Service.named("worker").on(host).command(Command.shell("sleep 64 & wait")));
      PIDS.add((long) web.current().pid());
      PIDS.add((long) worker.current().pid());
      PIDS.addAll(
          ProcessHandle.of(worker.current().pid())
              .orElseThrow()
              .children()
              .map(ProcessHandle::pid)
              .toList());
      assertTrue(web.current().isAlive());
    }
  }

  @HeddleTest
  @OnlyInKit
  static class SharedHostSample {
    @Test
    void usesTheJvmsSharedLocalHost(Scope scope) throws Exception {
      var svc =
          scope.supervise(
              Service.named("shared-sleeper").on(Host.local()).command(Command.of("sleep", "66")));
      PIDS.add((long) svc.current().pid());
    }
  }

  /** Whether {@code pid} runs (a zombie is dead, waiting for its new parent to reap it). */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException gone) {
      return false;
    }
  }

  @Test
  void theJvmsSharedLocalHostIsNotALeakButItsServicesMustStop() {
    PIDS.clear();
    var results = Samples.run(SharedHostSample.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertEquals(1, PIDS.size());
    assertFalse(alive(PIDS.getFirst()), "service still alive");
  }

  @Test
  void aPassingTestLeavesNoProcessNoAgentAndNoDirectory() throws IOException {
    PIDS.clear();
    var results = Samples.run(PassingSample.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertEquals(1, DIRS.size());
    Path root = DIRS.getFirst().getParent();
    assertFalse(Files.exists(root), root + " still exists");
    assertTrue(PIDS.size() >= 2, "pids: " + PIDS);
    for (long pid : PIDS) {
      assertFalse(alive(pid), "process " + pid + " still alive");
    }
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String cmd;
        try {
          cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
          continue;
        }
        assertFalse(cmd.contains(root.toString()), "still running: " + p + " " + cmd);
      }
    }
  }
}
