package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
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

/**
 * Spares ({@link ProcessSpec.Builder#keepSpare}): the next incarnation waits, spawned, on the host,
 * and the next spawn of the same spec runs it. Real agent, real processes; a spare is found through
 * /proc as a process running the agent's heddle-exec.
 */
class SpareTest {
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
    assertTrue(
        Procs.eventually(5_000, () -> spares().isEmpty()), "spares outlived the host: " + spares());
  }

  /**
   * Waiting spares of this test's agent: processes still running its heddle-exec that were not
   * handed out (a process just spawned runs heddle-exec too, for the moment before its exec).
   */
  List<Long> spares() {
    List<Long> out =
        new ArrayList<>(
            Procs.withMarker(
                dir.resolve("state").resolve("bin").resolve("heddle-exec").toString()));
    for (HostProcess p : started) {
      out.remove(Long.valueOf(p.pid()));
    }
    return out;
  }

  long oneSpare() throws InterruptedException {
    assertTrue(Procs.eventually(5_000, () -> spares().size() == 1), "spares: " + spares());
    return spares().getFirst();
  }

  HostProcess spawn(ProcessSpec spec) {
    HostProcess p = host.spawn(spec);
    started.add(p);
    return p;
  }

  @Test
  void theNextSpawnRunsTheWaitingSpareWithItsSocketLogsAndListenPid() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    String serveOnce =
        """
        import os, socket, sys
        print("pid", os.getpid(), "LISTEN_PID", os.environ["LISTEN_PID"], flush=True)
        s = socket.socket(fileno=3)
        c, _ = s.accept()
        c.sendall(b"served\\n")
        c.close()
        """;
    ProcessSpec spec =
        ProcessSpec.builder("srv", Command.of("python3", "-c", serveOnce))
            .inherit(socket)
            .keepSpare(true)
            .build();
    HostProcess first = spawn(spec);
    long spare = oneSpare();
    assertNotEquals(first.pid(), spare);
    assertEquals("served", request(socket.port()));
    assertEquals(new ExitStatus.Exited(0), first.awaitExit());

    HostProcess second = spawn(spec);
    assertEquals(spare, second.pid(), "the second incarnation is the spare that was waiting");
    assertEquals("served", request(socket.port()));
    assertEquals(new ExitStatus.Exited(0), second.awaitExit());
    assertEquals(
        List.of("pid " + spare + " LISTEN_PID " + spare), second.tail(LogStream.STDOUT, 5));
    assertTrue(second.logDir().endsWith(Path.of("srv", Integer.toString(second.incarnation()))));
    assertNotEquals(first.logDir(), second.logDir());
    oneSpare(); // and the one after it waits already
  }

  @Test
  void aChangedCommandIsSpawnedAfreshAndTheStaleSpareIsDropped() throws Exception {
    ProcessSpec v1 = ProcessSpec.builder("svc", Command.of("sleep", "600")).keepSpare(true).build();
    ProcessSpec v2 = ProcessSpec.builder("svc", Command.of("sleep", "601")).keepSpare(true).build();
    HostProcess first = spawn(v1);
    long stale = oneSpare();
    first.stop();
    HostProcess second = spawn(v2);
    assertNotEquals(stale, second.pid());
    assertTrue(Procs.eventually(5_000, () -> !Procs.alive(stale)), "the stale spare still waits");
    Path cmdline = Path.of("/proc/" + second.pid() + "/cmdline");
    assertTrue( // (read while it execs, the command line can be empty for a moment)
        Procs.eventually(
            5_000,
            () ->
                read(cmdline).endsWith("/sleep\0" + "601\0") && !read(cmdline).contains("heddle")),
        "runs: " + read(cmdline));
    long fresh = oneSpare();
    assertNotEquals(stale, fresh);
  }

  @Test
  void dropSpareReturnsOnceTheSpareIsGoneAndItsDirectoryWithIt() throws Exception {
    HostProcess p =
        spawn(ProcessSpec.builder("svc", Command.of("sleep", "600")).keepSpare(true).build());
    long spare = oneSpare();
    Path serviceLogs = p.logDir().getParent();
    assertEquals(2, countDirs(serviceLogs), "the spare has its incarnation's directory");
    p.dropSpare();
    assertTrue(!Procs.alive(spare), "dropSpare returned while the spare still runs");
    assertEquals(1, countDirs(serviceLogs), "the dropped spare's directory is removed");
    p.dropSpare(); // none left: a no-op
    p.stop();
  }

  @Test
  void closingTheSocketDropsTheSparesThatHoldIt() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    HostProcess p =
        spawn(
            ProcessSpec.builder("svc", Command.of("sleep", "600"))
                .inherit(socket)
                .keepSpare(true)
                .build());
    oneSpare();
    p.stop();
    host.close(socket);
    assertTrue(Procs.eventually(5_000, () -> spares().isEmpty()), "spares: " + spares());
    try (ServerSocket again = new ServerSocket()) { // nothing holds the port any more
      again.bind(new java.net.InetSocketAddress("127.0.0.1", socket.port()));
    }
  }

  @Test
  void aMissingExecutableIsReportedAsWithoutASpare() throws Exception {
    Path program = dir.resolve("prog");
    Files.writeString(program, "#!/bin/sh\nexec sleep 600\n");
    program.toFile().setExecutable(true);
    ProcessSpec spec =
        ProcessSpec.builder("svc", Command.of(program.toString())).keepSpare(true).build();
    HostProcess first = spawn(spec);
    long spare = oneSpare();
    first.stop();
    Files.delete(program);
    var e = assertThrows(HeddleException.class, () -> host.spawn(spec));
    assertEquals("MISSING_EXECUTABLE", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(program.toString()), e.getMessage());
    assertTrue(Procs.eventually(5_000, () -> !Procs.alive(spare)), "the spare was not dropped");
  }

  @Test
  void aSupervisedServiceRestartsIntoItsSpareAndLeavesNoneBehind() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    try (Scope scope = Scope.open("spares")) {
      var _ = scope.events(events::add);
      ServiceHandle h =
          scope.supervise(
              Service.named("crasher")
                  .on(host)
                  .command(Command.of("sleep", "600"))
                  .restart(
                      RestartPolicy.permanent()
                          .withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1))
                          .withJitter(0)));
      for (int i = 0; i < 3; i++) {
        HostProcess p = h.current();
        started.add(p);
        long spare = oneSpare();
        new ProcessBuilder("kill", "-9", Integer.toString(p.pid())).start().waitFor();
        assertTrue(
            Procs.eventually(5_000, () -> h.current().pid() == spare),
            "incarnation after kill " + i + " is not the spare " + spare);
      }
    }
    assertTrue(Procs.eventually(5_000, () -> spares().isEmpty()), "spares: " + spares());
    assertEquals(3, events.stream().filter(e -> e instanceof Event.Restarted).count(), "" + events);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static long countDirs(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(Files::isDirectory).count();
    }
  }

  private static String request(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port);
        var in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      return in.readLine();
    }
  }
}
