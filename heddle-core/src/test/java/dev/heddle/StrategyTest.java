package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * one_for_all and rest_for_one with real processes: which services a crash restarts, in which
 * order, and that each is ready again before the next starts. Every assertion reads the event
 * stream.
 */
class StrategyTest {
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

  Scope open() {
    Scope scope = Scope.open("strategy");
    scope.events(events::add);
    return scope;
  }

  static RestartPolicy fast(int max) {
    return RestartPolicy.permanent()
        .withIntensity(max, Duration.ofSeconds(60))
        .withBackoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
        .withJitter(0);
  }

  /** A service that is ready 150 ms after it starts (it prints "up"), then runs until stopped. */
  Service slowStarter(String name, RestartPolicy policy) {
    return Service.named(name)
        .on(host)
        .command(Command.shell("sleep 0.15; echo up; exec sleep 300"))
        .readyWhen(Readiness.logLine("^up$", Duration.ofSeconds(10)))
        .restart(policy)
        .stopGrace(Duration.ofSeconds(2));
  }

  /** Every event until (and including) the first that matches {@code last}; fails after 15 s. */
  List<Event> until(Predicate<Event> last) throws InterruptedException {
    List<Event> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("the awaited event did not come within 15 s; saw " + seen);
      }
      seen.add(e);
      if (last.test(e)) {
        return seen;
      }
    }
  }

  static Predicate<Event> ready(String service, int incarnation) {
    return e ->
        e instanceof Event.Ready r && r.service().equals(service) && r.incarnation() == incarnation;
  }

  /** "Kind service#incarnation" of each event, e.g. "Stopped c#1". */
  static List<String> story(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      String s =
          switch (e) {
            case Event.Started x -> "Started " + x.service() + "#" + x.incarnation();
            case Event.Ready x -> "Ready " + x.service() + "#" + x.incarnation();
            case Event.Exited x -> "Exited " + x.service() + "#" + x.incarnation();
            case Event.RestartScheduled x ->
                "RestartScheduled " + x.service() + "#" + x.incarnation();
            case Event.Restarted x -> "Restarted " + x.service() + "#" + x.incarnation();
            case Event.GaveUp x -> "GaveUp " + x.service() + "#" + x.incarnation();
            case Event.Stopped x -> "Stopped " + x.service() + "#" + x.incarnation();
          };
      out.add(s);
    }
    return out;
  }

  @Test
  void restForOneRestartsTheDependentsOfACrashedServiceAndNotTheOthers() throws Exception {
    try (Scope scope = open()) {
      ServiceGroup group = scope.group("chain", Strategy.REST_FOR_ONE);
      ServiceHandle a = group.supervise(slowStarter("a", fast(5)));
      ServiceHandle b = group.supervise(slowStarter("b", fast(5)).dependsOn(a));
      ServiceHandle c = group.supervise(slowStarter("c", fast(5)).dependsOn(b));
      ServiceHandle d = group.supervise(slowStarter("d", fast(5)).dependsOn(c));
      until(ready("d", 1));
      int aPid = a.current().pid();

      b.current().signal(Signal.KILL);
      List<String> story = story(until(ready("d", 2)));

      assertEquals(
          List.of(
              "Exited b#1",
              "RestartScheduled b#1",
              "Stopped d#1",
              "Stopped c#1",
              "Restarted b#2",
              "Started b#2",
              "Ready b#2",
              "Restarted c#2",
              "Started c#2",
              "Ready c#2",
              "Restarted d#2",
              "Started d#2",
              "Ready d#2"),
          story);
      assertEquals(aPid, a.current().pid(), "a, started before b, was restarted");
      assertTrue(c.current().isAlive() && d.current().isAlive());
    }
  }

  @Test
  void oneForAllRestartsEveryServiceInStartOrderEachReadyBeforeTheNext() throws Exception {
    try (Scope scope = open()) {
      ServiceGroup group = scope.group("all", Strategy.ONE_FOR_ALL);
      group.supervise(slowStarter("a", fast(5)));
      ServiceHandle b = group.supervise(slowStarter("b", fast(5)));
      group.supervise(slowStarter("c", fast(5)));
      until(ready("c", 1));

      b.current().signal(Signal.KILL);
      List<String> story = story(until(ready("c", 2)));

      assertEquals(
          List.of(
              "Exited b#1",
              "RestartScheduled b#1",
              "Stopped c#1",
              "Stopped a#1",
              "Restarted b#2",
              "Started b#2",
              "Ready b#2",
              "Restarted a#2",
              "Started a#2",
              "Ready a#2",
              "Restarted c#2",
              "Started c#2",
              "Ready c#2"),
          story);
    }
  }

  @Test
  void aTemporaryServiceStoppedByItsGroupIsNotStartedAgain() throws Exception {
    try (Scope scope = open()) {
      ServiceGroup group = scope.group("chain", Strategy.REST_FOR_ONE);
      ServiceHandle a = group.supervise(slowStarter("a", fast(5)));
      ServiceHandle t = group.supervise(slowStarter("t", RestartPolicy.temporary()));
      until(ready("t", 1));

      a.current().signal(Signal.KILL);
      List<String> story = story(until(ready("a", 2)));

      assertEquals(
          List.of(
              "Exited a#1",
              "RestartScheduled a#1",
              "Stopped t#1",
              "Restarted a#2",
              "Started a#2",
              "Ready a#2"),
          story);
      assertFalse(t.current().isAlive(), "the temporary service runs again");
    }
  }

  @Test
  void intensityExceededInAGroupEscalatesToTheScope() throws Exception {
    Scope scope = open();
    try {
      ServiceGroup group = scope.group("chain", Strategy.REST_FOR_ONE);
      group.supervise(slowStarter("a", fast(5)));
      group.supervise(
          Service.named("crashy")
              .on(host)
              .command(
                  Command.shell(
                      "while [ ! -e "
                          + dir.resolve("go")
                          + " ]; do sleep 0.02; done;"
                          + " echo dying >&2; exit 1"))
              .restart(fast(2)));
      group.supervise(slowStarter("c", fast(5)));
      until(ready("c", 1));
      java.nio.file.Files.createFile(dir.resolve("go"));
      List<String> story =
          story(until(e -> e instanceof Event.GaveUp g && g.service().equals("crashy")));
      assertEquals(
          2, story.stream().filter(s -> s.startsWith("Stopped c#")).count(), story::toString);
      var e = assertThrows(HeddleException.class, scope::awaitExit);
      assertEquals("GAVE_UP", e.code());
      assertTrue(e.getMessage().contains("dying"), e.getMessage());
    } finally {
      scope.close();
    }
  }

  @Test
  void aClosedScopeRefusesAGroup() {
    Scope scope = Scope.open("closed");
    scope.close();
    var e = assertThrows(IllegalStateException.class, () -> scope.group("g", Strategy.ONE_FOR_ALL));
    assertTrue(e.getMessage().contains("scope 'closed' is closed"), e.getMessage());
  }
}
