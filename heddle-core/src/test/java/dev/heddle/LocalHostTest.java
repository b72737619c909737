package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local host through a real agent and real processes. */
class LocalHostTest {
  @TempDir Path dir;
  Host host;
  final List<HostProcess> started = new ArrayList<>();

  @BeforeEach
  void startAgent() {
    host = Host.local(dir.resolve("state"));
  }

  @AfterEach
  void closeAndCheckNothingIsLeft() throws Exception {
    host.close();
    for (HostProcess p : started) {
      assertTrue(Procs.eventually(5_000, () -> !Procs.alive(p.pid())), p + " outlived its host");
    }
  }

  HostProcess spawn(String service, Command command) {
    HostProcess p = host.spawn(ProcessSpec.builder(service, command).build());
    started.add(p);
    return p;
  }

  @Test
  void reportsExitCodes() throws Exception {
    assertEquals(new ExitStatus.Exited(7), spawn("seven", Command.shell("exit 7")).awaitExit());
    assertEquals(new ExitStatus.Exited(0), spawn("zero", Command.of("true")).awaitExit());
  }

  @Test
  void everyExitIsReportedEvenWhenItBeatsTheSpawnReply() throws Exception {
    // An instant exit races the spawn reply through the agent and the client; none may be lost.
    for (int i = 0; i < 300; i++) {
      HostProcess p = host.spawn(ProcessSpec.builder("instant", Command.of("true")).build());
      assertEquals(
          java.util.Optional.of(new ExitStatus.Exited(0)),
          p.awaitExit(Duration.ofSeconds(10)),
          "exit of " + p + " was never reported");
    }
  }

  @Test
  void anExitedProcessStillAnswersAfterTheAgentForgotIt() throws Exception {
    // The agent keeps only the most recent exited processes in its table (so it does not grow with
    // every spawn); an older one still answers tail, stop and signal.
    HostProcess first = spawn("first", Command.shell("echo hello; exit 3"));
    assertEquals(new ExitStatus.Exited(3), first.awaitExit());
    for (int i = 0; i < 120; i++) {
      spawn("filler", Command.of("true")).awaitExit();
    }
    assertEquals(List.of("hello"), first.tail(LogStream.STDOUT, 5));
    assertEquals(new ExitStatus.Exited(3), first.stop().status());
    var e = assertThrows(HeddleException.class, () -> first.signal(Signal.TERM));
    assertEquals("NOT_RUNNING", e.code(), e.getMessage());
  }

  @Test
  void reportsDeathBySignal() throws Exception {
    ExitStatus status = spawn("term", Command.shell("kill -TERM $$")).awaitExit();
    var signaled = assertInstanceOf(ExitStatus.Signaled.class, status);
    assertTrue(signaled.is(Signal.TERM), status.toString());
    assertFalse(signaled.coreDumped());
  }

  @Test
  void incarnationsCountUpPerService() throws Exception {
    HostProcess a = spawn("svc", Command.of("true"));
    a.awaitExit();
    HostProcess b = spawn("svc", Command.of("true"));
    assertEquals(1, a.incarnation());
    assertEquals(2, b.incarnation());
    assertEquals("svc#2", b.processId());
  }

  @Test
  void pythonChildAcceptsOnInheritedFd3() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    String script =
        """
        import os, socket
        assert os.environ["LISTEN_FDS"] == "1", os.environ.get("LISTEN_FDS")
        assert os.environ["LISTEN_PID"] == str(os.getpid())
        s = socket.socket(fileno=3)
        c, _ = s.accept()
        c.sendall(("hello from %d via %s\\n" % (os.getpid(), os.environ["LISTEN_FDNAMES"])).encode())
        c.close()
        """;
    HostProcess p =
        host.spawn(
            ProcessSpec.builder("py", Command.of("python3", "-c", script)).inherit(socket).build());
    started.add(p);
    try (Socket client = new Socket("127.0.0.1", socket.port());
        var in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("hello from " + p.pid() + " via " + socket.name(), in.readLine());
    }
    assertEquals(new ExitStatus.Exited(0), p.awaitExit());
  }

  @Test
  void unixListeningSocketsArePassedToo() throws Exception {
    Path path = dir.resolve("svc.sock");
    ListeningSocket socket = host.listen(SocketSpec.unix(path));
    String script =
        """
        import socket
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, fileno=3)
        c, _ = s.accept()
        c.sendall(b"over unix\\n")
        c.close()
        """;
    HostProcess p =
        host.spawn(
            ProcessSpec.builder("unix", Command.of("python3", "-c", script))
                .inherit(socket)
                .build());
    started.add(p);
    try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
      var in =
          new BufferedReader(
              new InputStreamReader(
                  java.nio.channels.Channels.newInputStream(ch), StandardCharsets.UTF_8));
      assertEquals("over unix", in.readLine());
    }
    assertEquals(new ExitStatus.Exited(0), p.awaitExit());
  }

  @Test
  void restartedChildAcceptsOnTheSameSocketWhileAClientWaitsInTheBacklog() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    String serveOnce =
        """
        import os, socket, sys
        s = socket.socket(fileno=3)
        c, _ = s.accept()
        c.sendall(("served by %s\\n" % sys.argv[1]).encode())
        c.close()
        """;
    HostProcess first =
        host.spawn(
            ProcessSpec.builder("srv", Command.of("python3", "-c", serveOnce, "first"))
                .inherit(socket)
                .build());
    started.add(first);
    assertEquals("served by first", request(socket.port()));
    assertEquals(new ExitStatus.Exited(0), first.awaitExit());

    // Nobody accepts now; the connection must still succeed and wait in the backlog.
    try (Socket waiting = new Socket("127.0.0.1", socket.port())) {
      HostProcess second =
          host.spawn(
              ProcessSpec.builder("srv", Command.of("python3", "-c", serveOnce, "second"))
                  .inherit(socket)
                  .build());
      started.add(second);
      var in =
          new BufferedReader(
              new InputStreamReader(waiting.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("served by second", in.readLine());
      assertEquals(2, second.incarnation());
    }
  }

  private static String request(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port);
        var in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      return in.readLine();
    }
  }

  @Test
  void outputGoesToFilesThatCanBeTailedAndFollowed() throws Exception {
    HostProcess p =
        spawn(
            "talker",
            Command.shell(
                "for i in 1 2 3 4 5; do echo out-$i; echo err-$i >&2; done; read _ < /dev/null;"
                    + " sleep 0.3; echo late-1; echo late-2; sleep 30"));
    assertTrue(
        Procs.eventually(5_000, () -> p.tail(LogStream.STDOUT, 10).size() >= 5),
        "stdout never showed 5 lines");
    assertEquals(List.of("out-4", "out-5"), p.tail(LogStream.STDOUT, 2));
    assertEquals(
        List.of("err-1", "err-2", "err-3", "err-4", "err-5"), p.tail(LogStream.STDERR, 99));
    assertTrue(Files.readString(p.logDir().resolve("stdout.log")).startsWith("out-1\nout-2\n"));

    var seen = new CopyOnWriteArrayList<String>();
    HostProcess.Following following = p.follow(LogStream.STDOUT, seen::add);
    try {
      assertTrue(Procs.eventually(5_000, () -> seen.contains("late-2")), "follow saw only " + seen);
    } finally {
      following.close();
    }
    assertFalse(seen.contains("out-1"), "follow starts at the end of the file: " + seen);
    p.stop();
  }

  @Test
  void rotatesLogsBySize() throws Exception {
    HostProcess p =
        host.spawn(
            ProcessSpec.builder(
                    "chatty",
                    Command.shell(
                        "i=0; while [ $i -lt 4000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxx; i=$((i+1));"
                            + " done; sleep 30"))
                .logRotation(16 * 1024, 2)
                .build());
    started.add(p);
    Path log = p.logDir().resolve("stdout.log");
    assertTrue(
        Procs.eventually(10_000, () -> Files.exists(log.resolveSibling("stdout.log.1"))),
        "no rotation happened");
    assertFalse(Files.exists(log.resolveSibling("stdout.log.3")), "kept more than 2 rotated files");
    assertTrue(p.tail(LogStream.STDOUT, 1).getFirst().startsWith("line-"));
    p.stop();
  }

  @Test
  void stopKillsSetsidGrandchildren() throws Exception {
    String marker = "heddle-test-grandchild-" + ProcessHandle.current().pid();
    Path escapee = Procs.markedSleep(dir, marker);
    HostProcess p =
        spawn(
            "tree",
            Command.shell(
                    "sleep 1000 & (setsid \"$ESCAPEE\" 1001 &); (trap '' TERM; sleep 1002) & wait")
                .env("ESCAPEE", escapee.toString()));
    assertTrue(
        Procs.eventually(5_000, () -> !Procs.withMarker(marker).isEmpty()),
        "the setsid grandchild never started");
    List<Long> escaped = Procs.withMarker(marker);
    HostProcess.StopResult r = p.stop(Duration.ofMillis(500));
    assertTrue(
        Procs.eventually(5_000, () -> escaped.stream().noneMatch(Procs::alive)),
        "the setsid grandchild survived the stop: " + escaped);
    assertFalse(p.isAlive());
    assertInstanceOf(ExitStatus.Signaled.class, r.status());
  }

  @Test
  void aServiceThatIgnoresTermIsKilledAfterTheGraceWithAWarningNamingTheSetting() throws Exception {
    HostProcess p =
        spawn("stubborn", Command.shell("trap '' TERM; echo up; while :; do sleep 0.05; done"));
    assertTrue(Procs.eventually(5_000, () -> !p.tail(LogStream.STDOUT, 1).isEmpty()));
    long t0 = System.nanoTime();
    HostProcess.StopResult r = p.stop(Duration.ofMillis(300));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(r.escalated());
    assertTrue(tookMs >= 300, "stopped before the grace ran out: " + tookMs + " ms");
    String warning = r.warning().orElseThrow();
    assertTrue(warning.contains("'stubborn'") && warning.contains("stop grace period"), warning);
    assertTrue(
        r.status() instanceof ExitStatus.Signaled s && s.is(Signal.KILL), r.status().toString());
  }

  @Test
  void aSmallJavaProgramRunsAsAService() throws Exception {
    Path src = dir.resolve("Hello.java");
    Files.writeString(
        src,
        "class Hello { public static void main(String[] a) { System.out.println(\"hi \" + a[0]);"
            + " System.exit(3); } }");
    String java = ProcessHandle.current().info().command().orElseThrow();
    HostProcess p = spawn("java-svc", Command.of(java, src.toString(), "there"));
    assertEquals(new ExitStatus.Exited(3), p.awaitExit());
    assertEquals(List.of("hi there"), p.tail(LogStream.STDOUT, 5));
  }
}
