package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessIdentityTest {
  @TempDir Path dir;

  @Test
  void identityMatchesTheLiveChildAndNothingElse() throws Exception {
    try (ExitReactor reactor = ExitReactor.start("test-identity-reactor");
        Kids kids = new Kids(reactor, dir)) {
      var kid = kids.sh("sleep 30");
      ProcessIdentity id = kid.spawned().identity();
      int pidfd = kid.spawned().pidfd();
      assertEquals(kid.pid(), id.pid());
      assertEquals(Processes.startTime(kid.pid()).orElseThrow(), id.startTime());
      assertTrue(id.pidfdInode() > 0, "pidfs inode on Linux >= 6.9: " + id);
      assertEquals(id, ProcessIdentity.read(kid.pid(), pidfd).orElseThrow());

      assertTrue(id.matches(kid.pid(), pidfd));
      assertFalse(
          new ProcessIdentity(id.pid(), id.startTime() + 1, id.pidfdInode())
              .matches(kid.pid(), pidfd));
      assertFalse(
          new ProcessIdentity(id.pid(), id.startTime(), id.pidfdInode() + 1)
              .matches(kid.pid(), pidfd));
      assertTrue(
          new ProcessIdentity(id.pid(), id.startTime(), 0).matches(kid.pid(), pidfd),
          "inode unknown");
      assertFalse(id.matches(kid.pid() + 1, pidfd), "another pid");

      Processes.signal(pidfd, Signals.TERM);
      assertEquals(new RawExit.Signaled(Signals.TERM, false), kid.await());
      assertFalse(id.matches(kid.pid(), pidfd), "a reaped process is nobody");
      Processes.signal(pidfd, Signals.TERM); // ESRCH: already gone, quietly
    }
  }

  @Test
  void statIsParsedAfterTheLastParenthesis() {
    String stat =
        "4242 (we ird) (name)) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0";
    ProcStat parsed = ProcStat.parse(4242, stat).orElseThrow();
    assertEquals(new ProcStat(4242, 'S', 1, 4242, 4242, 987654), parsed);
    assertTrue(ProcStat.parse(1, "garbage").isEmpty());
  }

  @Test
  void sessionMembersFindsOurOwnSession() {
    int sid = ProcStat.read(Processes.getpid()).orElseThrow().session();
    assertTrue(Processes.sessionMembers(sid).contains(Processes.getpid()));
    assertTrue(Processes.alive(Processes.getpid()));
  }
}
