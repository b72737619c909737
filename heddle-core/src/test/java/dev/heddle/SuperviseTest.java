package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

/** Supervision with real processes; every assertion reads the scope's event stream. */
class SuperviseTest {
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
    Scope scope = Scope.open("test");
    scope.events(events::add);
    return scope;
  }

  /** The next event of type {@code type}, skipping others; fails after 5 s. */
  <E extends Event> E next(Class<E> type) throws InterruptedException {
    while (true) {
      Event e = events.poll(5, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no " + type.getSimpleName() + " event within 5 s");
      }
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
  }

  static RestartPolicy fast(int max) {
    return RestartPolicy.permanent()
        .withIntensity(max, Duration.ofSeconds(60))
        .withBackoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))
        .withJitter(0);
  }

  @Test
  void backoffDelaysGrowAndCap() throws Exception {
    try (Scope scope = open()) {
      scope.supervise(
          Service.named("crashy").on(host).command(Command.shell("exit 1")).restart(fast(20)));
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        delays.add(next(Event.RestartScheduled.class).delay().toMillis());
      }
      assertEquals(List.of(20L, 40L, 80L, 100L, 100L, 100L), delays);
    }
  }

  @Test
  void intensityExceededGivesUpAndFailsTheScope() throws Exception {
    Scope scope = open();
    scope.supervise(
        Service.named("crashy")
            .on(host)
            .command(Command.shell("echo dying >&2; exit 1"))
            .restart(fast(2)));
    assertEquals(1, next(Event.RestartScheduled.class).attempt());
    assertEquals(2, next(Event.RestartScheduled.class).attempt());
    Event.GaveUp gaveUp = next(Event.GaveUp.class);
    assertEquals(3, gaveUp.incarnation());
    var e = assertThrows(HeddleException.class, scope::awaitExit);
    assertEquals("GAVE_UP", e.code());
    assertTrue(e.getMessage().contains("2 restarts within PT1M"), e.getMessage());
    assertTrue(e.getMessage().contains("dying"), e.getMessage());
    scope.close();
  }

  @Test
  void aCrashedServiceIsRestartedOnTheSameListeningSocket() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    String serveOnceThenCrash =
        """
        import os, socket, sys
        s = socket.socket(fileno=3)
        c, _ = s.accept()
        c.sendall(("pid %d\\n" % os.getpid()).encode())
        c.close()
        sys.exit(1)
        """;
    try (Scope scope = open()) {
      scope.supervise(
          Service.named("srv")
              .on(host)
              .command(Command.of("python3", "-c", serveOnceThenCrash))
              .inherit(socket)
              .restart(fast(5)));
      Event.Started first = next(Event.Started.class);
      assertEquals("pid " + first.pid(), request(socket.port()));
      assertInstanceOf(ExitStatus.Exited.class, next(Event.Exited.class).status());
      Event.Started second = next(Event.Started.class);
      assertEquals(2, second.incarnation());
      assertNotEquals(first.pid(), second.pid());
      assertEquals("pid " + second.pid(), request(socket.port()));
    }
  }

  @Test
  void superviseReturnsOnlyOnceReady() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String slowServer =
        "import socket, time; time.sleep(0.3); s = socket.socket();"
            + " s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);"
            + " s.bind(('127.0.0.1', "
            + port
            + ")); s.listen(); time.sleep(30)";
    try (Scope scope = open()) {
      ServiceHandle h =
          scope.supervise(
              Service.named("slow")
                  .on(host)
                  .command(Command.of("python3", "-c", slowServer))
                  .readyWhen(Readiness.tcpPort("127.0.0.1", port, Duration.ofSeconds(5))));
      assertEquals(Event.Started.class, events.poll().getClass());
      assertEquals(Event.Ready.class, events.poll().getClass());
      try (Socket s = new Socket("127.0.0.1", port)) {
        assertTrue(s.isConnected());
      }
      assertTrue(h.current().isAlive());
    }
  }

  @Test
  void readinessTimeoutSaysWhatHowLongTheCommandAndStderr() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (Scope scope = open()) {
      var e =
          assertThrows(
              HeddleException.class,
              () ->
                  scope.supervise(
                      Service.named("mute")
                          .on(host)
                          .command(Command.shell("echo starting >&2; echo no-port >&2; sleep 30"))
                          .readyWhen(
                              Readiness.tcpPort("127.0.0.1", port, Duration.ofMillis(300)))));
      assertEquals("NOT_READY", e.code());
      List<String> lines = e.getMessage().lines().toList();
      assertTrue(
          lines
              .get(0)
              .matches(
                  "mute on local did not become ready within PT0\\.3S: expected TCP port 127\\.0\\.0\\.1:"
                      + port
                      + " to accept a connection, waited \\d+ ms \\(limit 300 ms\\)"),
          lines.get(0));
      assertEquals(
          "  command: /bin/sh -c echo starting >&2; echo no-port >&2; sleep 30", lines.get(1));
      assertEquals("  last 2 lines of stderr:", lines.get(2));
      assertEquals("    starting", lines.get(3));
      assertEquals("    no-port", lines.get(4));
    }
  }

  @Test
  void closeStopsServicesInReverseStartOrder() throws Exception {
    try (Scope scope = open()) {
      for (String name : List.of("a", "b", "c")) {
        scope.supervise(Service.named(name).on(host).command(Command.of("sleep", "30")));
      }
      closeNow(scope);
      assertEquals("c", next(Event.Stopped.class).service());
      assertEquals("b", next(Event.Stopped.class).service());
      assertEquals("a", next(Event.Stopped.class).service());
    }
  }

  @Test
  void agentSideReadinessWaitsForAFileAndALogLine() throws Exception {
    Path flag = dir.resolve("ready.flag");
    try (Scope scope = open()) {
      ServiceHandle f =
          scope.supervise(
              Service.named("filer")
                  .on(host)
                  .command(Command.shell("sleep 0.2; touch " + flag + "; sleep 30"))
                  .readyWhen(Readiness.fileExists(flag, Duration.ofSeconds(5))));
      assertTrue(java.nio.file.Files.exists(flag), "ready before the file existed");
      ServiceHandle l =
          scope.supervise(
              Service.named("logger")
                  .on(host)
                  .command(Command.shell("sleep 0.2; echo 'listening on 8080'; sleep 30"))
                  .readyWhen(Readiness.logLine("listening on \\d+", Duration.ofSeconds(5))));
      assertTrue(f.current().isAlive() && l.current().isAlive());
      assertEquals(
          List.of("listening on 8080"), l.current().tail(LogStream.STDOUT, 5), "ready too early");
    }
  }

  @Test
  void logLineAnchorsMatchEachLineNotTheWholeLog() throws Exception {
    try (Scope scope = open()) {
      ServiceHandle h =
          scope.supervise(
              Service.named("chatty")
                  .on(host)
                  .command(
                      Command.shell("echo booting; echo 'listening on 9'; echo more; sleep 30"))
                  .readyWhen(Readiness.logLine("^listening on \\d+$", Duration.ofSeconds(5))));
      assertTrue(h.current().isAlive());
    }
  }

  @Test
  void aLogLineWrittenInPiecesAfterMuchOutputIsSeenOnceItIsComplete() throws Exception {
    // The agent reads the log incrementally: a line split over two writes, after 20,000 others,
    // must still match as one line, and not before its second half is there.
    try (Scope scope = open()) {
      ServiceHandle h =
          scope.supervise(
              Service.named("pieces")
                  .on(host)
                  .command(
                      Command.shell(
                          "i=0; while [ $i -lt 20000 ]; do echo noise $i; i=$((i+1)); done;"
                              + " printf 'listening '; sleep 0.3; echo 'on 7'; sleep 30"))
                  .readyWhen(Readiness.logLine("^listening on \\d+$", Duration.ofSeconds(10))));
      assertEquals(List.of("listening on 7"), h.current().tail(LogStream.STDOUT, 1));
    }
  }

  @Test
  void anEarlyExitBeforeALogLineIsReportedWithStderr() throws Exception {
    try (Scope scope = open()) {
      var e =
          assertThrows(
              HeddleException.class,
              () ->
                  scope.supervise(
                      Service.named("quitter")
                          .on(host)
                          .command(Command.shell("echo 'config missing' >&2; exit 2"))
                          .readyWhen(Readiness.logLine("listening", Duration.ofSeconds(5)))));
      assertEquals("NOT_READY", e.code());
      assertTrue(
          e.getMessage()
              .startsWith("quitter on local exited (exited with code 2) before it was ready:"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("\n    config missing"), e.getMessage());
    }
  }

  @Test
  void aSubscriberThatThrowsIsLoggedWithItsException() throws Exception {
    var records = new java.util.concurrent.CopyOnWriteArrayList<java.util.logging.LogRecord>();
    var logger = java.util.logging.Logger.getLogger(Scope.class.getName());
    var handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try (Scope scope = open()) {
      scope.events(
          e -> {
            throw new IllegalStateException("subscriber bug");
          });
      scope.supervise(Service.named("quiet").on(host).command(Command.of("sleep", "30")));
      assertEquals(Event.Started.class, next(Event.Started.class).getClass());
    } finally {
      logger.removeHandler(handler);
    }
    assertTrue(
        records.stream()
            .anyMatch(
                r ->
                    r.getThrown() != null
                        && "subscriber bug".equals(r.getThrown().getMessage())
                        && r.getMessage().contains("threw on Started")),
        records.toString());
  }

  private static String request(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port);
        var in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      return in.readLine();
    }
  }

  private static void closeNow(Scope scope) {
    scope.close();
  }
}
