package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnerExitTest {
  static ExitReactor reactor;
  @TempDir Path dir;
  Kids kids;

  @BeforeAll
  static void startReactor() throws OsException {
    reactor = ExitReactor.start("test-exit-reactor");
  }

  @AfterAll
  static void stopReactor() {
    reactor.close();
  }

  @BeforeEach
  void setUp() {
    kids = new Kids(reactor, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    kids.close();
  }

  @Test
  void exitCodeIsReported() throws Exception {
    assertEquals(new RawExit.Exited(7), kids.sh("exit 7").await());
  }

  @Test
  void deathBySignalIsReported() throws Exception {
    assertEquals(new RawExit.Signaled(Signals.TERM, false), kids.sh("kill -TERM $$").await());
  }

  @Test
  void coreDumpIsReported() throws Exception {
    // core_pattern here is "core": the kernel writes the core into the child's cwd, a temp dir.
    var kid =
        kids.spawn(
            Kids.withCwd(kids.spec("/bin/sh", "-c", "ulimit -c unlimited; kill -SEGV $$"), dir));
    assertEquals(new RawExit.Signaled(Signals.SEGV, true), kid.await());
  }

  @Test
  void segfaultWithoutCoreIsReported() throws Exception {
    assertEquals(
        new RawExit.Signaled(Signals.SEGV, false), kids.sh("ulimit -c 0; kill -SEGV $$").await());
  }

  @Test
  void childLeadsItsOwnSessionAndGroup() throws Exception {
    var kid = kids.sh("sleep 10");
    ProcStat stat = ProcStat.read(kid.pid()).orElseThrow();
    assertEquals(kid.pid(), stat.session(), "session id");
    assertEquals(kid.pid(), stat.pgrp(), "process group");
    assertEquals(Processes.getpid(), stat.ppid(), "parent");
  }

  @Test
  void signalDispositionsAndMaskAreReset() throws Exception {
    // SigIgn and SigBlk are zero after exec when the mask is empty and every disposition is
    // default,
    // including glibc's internal signals 32 and 33 (see PosixSpawn).
    // grep reads its own status, so no shell (which blocks signals around its forks) is in the way.
    kids.spawn(kids.spec("grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status")).await();
    String status = kids.readOut();
    assertTrue(status.contains("SigBlk:\t0000000000000000"), status);
    assertTrue(status.contains("SigIgn:\t0000000000000000"), status);
  }
}
