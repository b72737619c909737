package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback where cgroups are unavailable: every child leads its own session and process group,
 * so the agent signals the group (TERM, then KILL) and then sweeps the session by scanning /proc.
 *
 * <p>What escapes, by design of the kernel: a descendant that calls setsid() leaves both the
 * process group and the session, and is re-parented away from the service, so neither kill(-pgid)
 * nor the session sweep can find it. In this tree that is {@code sleep 1001}. Everything else dies;
 * the test asserts exactly that and then kills the escapee itself.
 */
class ProcessGroupFallbackTest {
  @TempDir Path dir;

  @Test
  void groupKillAndSessionSweepGetAllButTheSetsidEscapee() throws Exception {
    String mark = UUID.randomUUID().toString();
    int escapee = -1;
    try (ExitReactor reactor = ExitReactor.start("test-fallback-reactor");
        Kids kids = new Kids(reactor, dir)) {
      var kid =
          kids.spawn(
              Kids.withEnv(
                  kids.spec("/bin/sh", "-c", CgroupsTest.TREE),
                  Map.of("PATH", "/usr/bin:/bin", "HEDDLE_TEST_MARK", mark)));
      int sid = kid.pid();
      Kids.await(
          "the three sleeps",
          Duration.ofSeconds(5),
          () -> Kids.marked(mark).values().containsAll(CgroupsTest.SLEEPS));
      Map<Integer, String> tree = Kids.marked(mark);
      int sleep1000 = pidOf(tree, "sleep 1000");
      int sleep1002 = pidOf(tree, "sleep 1002");
      escapee = pidOf(tree, "sleep 1001");
      assertNotEquals(
          sid, ProcStat.read(escapee).orElseThrow().session(), "setsid left the session");

      Processes.killGroup(sid, Signals.TERM);
      assertEquals(new RawExit.Signaled(Signals.TERM, false), kid.await());
      Kids.await(
          "sleep 1000 to die of TERM", Duration.ofSeconds(5), () -> !Processes.alive(sleep1000));
      assertTrue(Processes.alive(sleep1002), "sleep 1002 ignores TERM");
      assertTrue(Processes.sessionMembers(sid).contains(sleep1002), "and is still in the session");

      Processes.killGroup(sid, Signals.KILL);
      for (int pid : Processes.sessionMembers(sid)) {
        Processes.kill(pid, Signals.KILL); // the sweep: catches members that changed process group
      }
      Kids.await(
          "sleep 1002 to die of KILL", Duration.ofSeconds(5), () -> !Processes.alive(sleep1002));
      assertEquals(
          List.of(), Processes.sessionMembers(sid).stream().filter(Processes::alive).toList());

      assertEquals(
          Map.of(escapee, "sleep 1001"), Kids.marked(mark), "exactly the setsid sleep escapes");
    } finally {
      if (escapee > 0 && Kids.cmdline(escapee).equals("sleep 1001")) {
        Processes.kill(escapee, Signals.KILL);
        int gone = escapee;
        Kids.await("the escapee to die", Duration.ofSeconds(5), () -> !Processes.alive(gone));
      }
    }
    assertTrue(Kids.marked(mark).isEmpty());
  }

  private static int pidOf(Map<Integer, String> tree, String command) {
    return tree.entrySet().stream()
        .filter(e -> e.getValue().equals(command))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + command + "' in " + tree));
  }

  @Test
  void killRefusesTargetsThatWouldHitEveryone() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Processes.killGroup(1, Signals.TERM));
    assertEquals("refusing to signal process group 1: must be above 1", e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Processes.kill(0, Signals.TERM));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Processes.kill(-5, Signals.TERM));
    assertFalse(Processes.alive(Integer.MAX_VALUE));
    Processes.kill(Integer.MAX_VALUE - 1, 0); // no such pid: ESRCH is ignored
  }
}
