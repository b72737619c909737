package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scope's nursery semantics with real processes; assertions read the recorded event list. */
class ScopeTest {
  @TempDir Path dir;
  Host host;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startAgent() {
    host = Host.local(dir.resolve("state"));
  }

  @AfterEach
  void closeHost() {
    host.close();
  }

  /** A task that runs {@code command}, reports ready with its process, and stops it when told. */
  Scope.Task<HostProcess> running(String service, Command command) {
    return ready -> {
      HostProcess p =
          host.spawn(ProcessSpec.builder(service, command).stopGrace(Duration.ZERO).build());
      events.add("started " + service + " on " + Thread.currentThread().getName());
      ready.started(p);
      try {
        ExitStatus status = p.awaitExit();
        events.add("exited " + service + " " + status);
        if (!status.equals(new ExitStatus.Exited(0))) {
          throw new HeddleException(
              host.name(), service, "CRASHED", service + " exited: " + status);
        }
      } finally {
        if (p.isAlive()) {
          p.stop();
          events.add("stopped " + service);
        }
      }
    };
  }

  @Test
  void startReturnsOnlyOnceTheTaskIsReady() throws Exception {
    Path flag = dir.resolve("flag");
    try (Scope scope = Scope.open("t")) {
      HostProcess p =
          scope.start(
              "watch/writer",
              ready -> {
                HostProcess w =
                    host.spawn(
                        ProcessSpec.builder(
                                "writer", Command.shell("sleep 0.3; touch " + flag + "; sleep 30"))
                            .build());
                while (!Files.exists(flag)) {
                  Thread.sleep(10);
                }
                ready.started(w);
                try {
                  w.awaitExit();
                } finally {
                  w.stop();
                }
              });
      assertTrue(Files.exists(flag), "start returned before the task was ready");
      assertTrue(p.isAlive());
    }
  }

  @Test
  void aTaskThatFailsBeforeReadyFailsTheStartCallOnly() throws Exception {
    try (Scope scope = Scope.open("t")) {
      var e =
          assertThrows(
              HeddleException.class,
              () ->
                  scope.start(
                      "watch/bad",
                      ready -> {
                        HostProcess p =
                            host.spawn(ProcessSpec.builder("bad", Command.shell("exit 3")).build());
                        throw new HeddleException(
                            "local", "bad", "EARLY_EXIT", "bad: " + p.awaitExit());
                      }));
      assertEquals("EARLY_EXIT", e.code());
      HostProcess ok = scope.start("watch/ok", running("ok", Command.of("sleep", "30")));
      assertTrue(ok.isAlive(), "the scope must still accept work");
    }
  }

  @Test
  void anUnabsorbedFailureCancelsTheSiblingsAndIsRethrown() throws Exception {
    Scope scope = Scope.open("t");
    HostProcess a = scope.start("supervise/a@local#1", running("a", Command.of("sleep", "30")));
    HostProcess b = scope.start("supervise/b@local#1", running("b", Command.of("sleep", "30")));
    scope.start("supervise/crash@local#1", running("crash", Command.shell("sleep 0.2; exit 4")));
    var e = assertThrows(HeddleException.class, scope::awaitExit);
    assertEquals("CRASHED", e.code());
    assertEquals("crash", e.service());
    assertEquals(
        List.of(
            "started a on supervise/a@local#1",
            "started b on supervise/b@local#1",
            "started crash on supervise/crash@local#1"),
        events.subList(0, 3));
    assertEquals(List.of("stopped b", "stopped a"), events.subList(4, 6));
    assertTrue(events.get(3).startsWith("exited crash"), events.toString());
    assertTrue(!a.isAlive() && !b.isAlive());
    scope.close(); // the failure was already thrown by awaitExit
  }

  @Test
  void aClosedScopeRefusesNewWork() throws Exception {
    Scope scope = Scope.open("orders");
    scope.close();
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> scope.start("late", running("late", Command.of("true"))));
    assertEquals(
        "scope 'orders' is closed: cannot start 'late'; start it before close() or in another scope",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> scope.child("inner"));
  }

  @Test
  void closeStopsChildrenInReverseStartOrder() throws Exception {
    try (Scope scope = Scope.open("t")) {
      scope.start("supervise/one@local#1", running("one", Command.of("sleep", "30")));
      try (Scope inner = scope.child("inner")) {
        inner.start("supervise/two@local#1", running("two", Command.of("sleep", "30")));
        scope.start("supervise/three@local#1", running("three", Command.of("sleep", "30")));
        assertEquals("t/inner", inner.name());
        closeOuter(scope); // closes inner too, which was started before three
      }
    }
    assertEquals(List.of("stopped three", "stopped two", "stopped one"), events.subList(3, 6));
  }

  @Test
  void aFailureInAChildScopeEscalatesToItsParent() throws Exception {
    Scope scope = Scope.open("t");
    scope.start("supervise/sibling@local#1", running("sibling", Command.of("sleep", "30")));
    Scope inner = scope.child("inner");
    inner.start("supervise/crash@local#1", running("crash", Command.shell("exit 9")));
    var e = assertThrows(HeddleException.class, scope::awaitExit);
    assertEquals("crash", e.service());
    assertTrue(events.contains("stopped sibling"), events.toString());
    scope.close();
  }

  @Test
  void aDeadlineCancelsWhatStillRuns() throws Exception {
    try (Scope scope = Scope.open("t")) {
      HostProcess p =
          scope.start("supervise/slow@local#1", running("slow", Command.of("sleep", "30")));
      long t0 = System.nanoTime();
      var e = assertThrows(HeddleException.class, () -> scope.awaitExit(Duration.ofMillis(300)));
      assertEquals("DEADLINE_EXCEEDED", e.code());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
      assertTrue(!p.isAlive());
      assertEquals("stopped slow", events.get(events.size() - 1));
    }
  }

  @Test
  void theFirstFailureCarriesTheOthersSuppressed() throws Exception {
    Scope scope = Scope.open("t");
    RuntimeException first = new RuntimeException("first");
    scope.start(
        "a",
        ready -> {
          ready.started("a");
          Thread.sleep(100);
          throw first;
        });
    scope.start(
        "b",
        ready -> {
          ready.started("b");
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException cancelled) {
            throw new IllegalStateException("b failed while stopping", cancelled);
          }
        });
    var e = assertThrows(RuntimeException.class, scope::awaitExit);
    assertSame(first, e);
    assertEquals(1, e.getSuppressed().length);
    assertEquals("b failed while stopping", e.getSuppressed()[0].getMessage());
    scope.close();
  }

  private static void closeOuter(Scope scope) {
    scope.close();
  }
}
