package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitReactorTest {
  @TempDir Path dir;

  @Test
  void twoHundredChildrenNeedOneThread() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    int fdsBefore = Fds.openFdCount();
    List<Kids.Kid> all = new ArrayList<>();
    Set<Thread> added;
    try (ExitReactor reactor = ExitReactor.start("exit-reactor-200");
        Kids kids = new Kids(reactor, dir)) {
      for (int i = 0; i < 200; i++) {
        // Odd children fail with their index mod 256, even ones exit 0, so statuses are told apart.
        all.add(kids.sh("sleep 0.2; exit " + (i % 2 == 0 ? 0 : i % 256)));
      }
      assertTrue(reactor.watchedCount() > 0);
      added = new HashSet<>(Thread.getAllStackTraces().keySet());
      added.removeAll(before);
      for (int i = 0; i < all.size(); i++) {
        assertEquals(
            new RawExit.Exited(i % 2 == 0 ? 0 : i % 256), all.get(i).await(), "child " + i);
      }
      assertEquals(0, reactor.watchedCount());
    }
    assertEquals(
        List.of("exit-reactor-200"),
        added.stream().map(Thread::getName).toList(),
        "threads the reactor and 200 children added to the JVM");
    Kids.await(
        "the reactor thread to end",
        Duration.ofSeconds(5),
        () -> !added.iterator().next().isAlive());
    assertEquals(fdsBefore, Fds.openFdCount(), "fds left open (pidfds, epoll, eventfd)");
    for (Kids.Kid kid : all) {
      assertFalse(
          Files.exists(Path.of("/proc/" + kid.pid() + "/stat"))
              && ProcStat.read(kid.pid()).map(s -> s.ppid() == Processes.getpid()).orElse(false),
          "child " + kid.pid() + " is still our child (a zombie?)");
    }
  }

  @Test
  void reactorThreadIsADaemonPlatformThread() throws Exception {
    try (ExitReactor reactor = ExitReactor.start("exit-reactor-named")) {
      Thread thread =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("exit-reactor-named"))
              .findFirst()
              .orElseThrow();
      assertTrue(thread.isDaemon());
      assertFalse(thread.isVirtual());
      assertEquals(0, reactor.watchedCount());
    }
  }

  @Test
  void closeCancelsPendingWatchesAndIsIdempotent() throws Exception {
    ExitReactor reactor = ExitReactor.start("exit-reactor-close");
    Spawned sleeper =
        Spawner.spawn(
            new SpawnSpec(
                "/bin/sleep",
                List.of("30"),
                Kids.ENV,
                null,
                List.of(),
                dir.resolve("out"),
                dir.resolve("err"),
                null));
    try {
      CompletableFuture<RawExit> exit = reactor.watch(sleeper.pid(), sleeper.pidfd());
      assertTrue(reactor.watches(sleeper.pid()));
      reactor.close();
      reactor.close();
      var e = assertThrows(CancellationException.class, () -> exit.get(5, TimeUnit.SECONDS));
      assertTrue(exit.isCancelled());
      assertEquals(
          "exit reactor 'exit-reactor-close' closed before pid " + sleeper.pid() + " exited",
          e.getCause().getMessage());
      var late = reactor.watch(sleeper.pid(), sleeper.pidfd());
      assertTrue(late.isCompletedExceptionally(), "a closed reactor refuses new watches");
    } finally {
      Processes.signal(sleeper.pidfd(), Signals.KILL);
      Kids.await(
          "the sleeper to be a zombie",
          Duration.ofSeconds(5),
          () -> !Processes.alive(sleeper.pid()));
      assertTrue(
          reap(sleeper), "the sleeper was still ours to reap: the closed reactor did not reap it");
      Fds.close(sleeper.pidfd());
    }
  }

  @Test
  void watchingTheSamePidfdTwiceFails() throws Exception {
    try (ExitReactor reactor = ExitReactor.start("exit-reactor-twice");
        Kids kids = new Kids(reactor, dir)) {
      var kid = kids.sh("sleep 30");
      var again = reactor.watch(kid.pid(), kid.spawned().pidfd());
      var e = assertThrows(ExecutionException.class, () -> again.get(1, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    }
  }

  @Test
  void aProcessThatIsNotOurChildFailsWithEchild() throws Exception {
    try (ExitReactor reactor = ExitReactor.start("exit-reactor-echild");
        Kids kids = new Kids(reactor, dir)) {
      // The grandchild is re-parented to PID 1 when sh exits: we can see it exit but not reap it.
      kids.sh("sleep 0.3 & echo $!").await();
      int orphan = Integer.parseInt(kids.readOut().strip());
      int pidfd = (int) Libc.syscall(Libc.SYS_PIDFD_OPEN, orphan, 0, 0, 0);
      assertTrue(pidfd >= 0, "pidfd_open of the orphan: " + pidfd);
      try {
        var e =
            assertThrows(
                ExecutionException.class,
                () -> reactor.watch(orphan, pidfd).get(10, TimeUnit.SECONDS));
        OsException os = assertInstanceOf(OsException.class, e.getCause());
        assertEquals(Errno.ECHILD, os.errno());
        assertEquals("waitid", os.call());
        assertTrue(os.getMessage().contains("is not a child of this process"), os.getMessage());
      } finally {
        Fds.close(pidfd);
      }
    }
  }

  /** Reaps the sleeper directly (the closed reactor no longer will); true when reaped. */
  private static boolean reap(Spawned spawned) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      var siginfo = arena.allocate(ExitReactor.SIGINFO_SIZE, 8);
      return Libc.waitid(ExitReactor.P_PIDFD, spawned.pidfd(), siginfo, ExitReactor.WEXITED) == 0;
    }
  }
}
