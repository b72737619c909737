package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restart, stop and start of one service through its handle, with real processes. */
class OperatorActionsTest {
  @TempDir Path dir;
  Host host;
  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void startAgent() {
    host = Host.local(dir.resolve("state"));
  }

  @AfterEach
  void closeHost() {
    host.close();
  }

  Service sleeper(String name) {
    return Service.named(name)
        .on(host)
        .command(Command.shell("sleep 0.1; echo up; exec sleep 300"))
        .readyWhen(Readiness.logLine("^up$", Duration.ofSeconds(10)))
        .restart(RestartPolicy.permanent().withIntensity(1, Duration.ofSeconds(60)))
        .stopGrace(Duration.ofSeconds(2));
  }

  /** "Kind service#incarnation" of every event received so far (waiting 200 ms for stragglers). */
  List<String> drain() throws InterruptedException {
    List<String> out = new ArrayList<>();
    Event e;
    while ((e = events.poll(200, TimeUnit.MILLISECONDS)) != null) {
      out.add(e.getClass().getSimpleName() + " " + e.service() + "#" + e.incarnation());
    }
    return out;
  }

  @Test
  void restartStartsANewIncarnationAndReturnsOnceItIsReady() throws Exception {
    try (Scope scope = Scope.open("ops")) {
      scope.events(events::add);
      ServiceHandle a = scope.supervise(sleeper("a"));
      ServiceHandle b = scope.supervise(sleeper("b"));
      assertEquals(List.of(a, b), scope.services());
      drain();
      int before = a.current().pid();
      a.restart();
      assertNotEquals(before, a.current().pid());
      assertTrue(a.current().isAlive());
      assertEquals(List.of("up"), a.current().tail(LogStream.STDOUT, 5), "returned before ready");
      assertEquals(List.of("Stopped a#1", "Restarted a#2", "Started a#2", "Ready a#2"), drain());
      // twice more: manual restarts do not count against the intensity (1 within 60 s)
      a.restart();
      a.restart();
      assertTrue(a.current().isAlive());
      assertFalse(scope.isCancelled());
    }
  }

  @Test
  void aStoppedServiceStaysStoppedUntilStarted() throws Exception {
    try (Scope scope = Scope.open("ops")) {
      scope.events(events::add);
      ServiceHandle a = scope.supervise(sleeper("a"));
      drain();
      HostProcess first = a.current();
      a.stop();
      assertTrue(a.isStopped());
      assertFalse(first.isAlive());
      assertEquals(List.of("Stopped a#1"), drain(), "it was started again");
      var twice = assertThrows(IllegalStateException.class, a::stop);
      assertEquals("a is already stopped", twice.getMessage());
      a.start();
      assertFalse(a.isStopped());
      assertTrue(a.current().isAlive());
      assertEquals(List.of("Restarted a#2", "Started a#2", "Ready a#2"), drain());
      var notStopped = assertThrows(IllegalStateException.class, a::start);
      assertEquals("a is not stopped (running)", notStopped.getMessage());
    }
  }

  @Test
  void aStoppedServiceCanBeRestartedAndAnEndedOneRefuses() throws Exception {
    ServiceHandle a;
    try (Scope scope = Scope.open("ops")) {
      a = scope.supervise(sleeper("a"));
      a.stop();
      a.restart();
      assertTrue(a.current().isAlive());
      assertFalse(a.isStopped());
    }
    var ended = assertThrows(IllegalStateException.class, a::restart);
    assertEquals("a has ended: nothing to restart", ended.getMessage());
    assertThrows(IllegalStateException.class, a::stop);
  }
}
