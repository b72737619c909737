package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listening sockets handed to children at fd 3, 4, ... with the systemd LISTEN_* convention. */
class FdPassingTest {
  static ExitReactor reactor;
  @TempDir Path dir;
  Kids kids;
  int listener = -1;
  int second = -1;

  static final String SERVER =
      """
      import os, socket
      assert os.environ["LISTEN_FDS"] == "1", os.environ
      assert os.environ["LISTEN_PID"] == str(os.getpid()), (os.environ["LISTEN_PID"], os.getpid())
      assert os.environ["LISTEN_FDNAMES"] == "http", os.environ
      conn, _ = socket.socket(fileno=3).accept()
      conn.sendall(b"hello from %d via fd 3\\n" % os.getpid())
      conn.close()
      """;

  static final String LIST_FDS =
      """
      import os
      fds = {}
      for name in os.listdir("/proc/self/fd"):
          try:
              fds[int(name)] = os.readlink("/proc/self/fd/" + name)
          except OSError:
              fds[int(name)] = "(closed)"
      for fd, target in sorted(fds.items()):
          print(fd, target)
      """;

  @BeforeAll
  static void startReactor() throws OsException {
    reactor = ExitReactor.start("test-fd-reactor");
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
    Fds.close(listener);
    Fds.close(second);
  }

  @Test
  void childAcceptsOnThePassedSocket() throws Exception {
    listener = Sockets.listenTcp("127.0.0.1", 0, 16);
    InetSocketAddress address = Sockets.localTcpAddress(listener);
    var kid =
        kids.spawn(
            Kids.withFds(
                kids.spec("python3", "-c", SERVER), List.of(new PassedFd(listener, "http"))));
    String reply;
    try (SocketChannel client = SocketChannel.open(address)) {
      ByteBuffer buffer = ByteBuffer.allocate(256);
      while (client.read(buffer) >= 0) {
        // until the child closes
      }
      reply = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
    assertEquals(new RawExit.Exited(0), kid.await(), () -> "stderr: " + readQuietly(kids.err()));
    assertEquals("hello from " + kid.pid() + " via fd 3\n", reply);
    assertTrue(Fds.isOpen(listener), "the agent keeps its own listening socket");
  }

  @Test
  void childSeesOnlyStdioAndThePassedFds() throws Exception {
    listener = Sockets.listenTcp("127.0.0.1", 0, 1);
    // The JDK opens files without O_CLOEXEC: this one would leak into the child without closefrom.
    try (FileInputStream leaky = new FileInputStream("/etc/hostname")) {
      var spec =
          Kids.withFds(
              kids.spec("python3", "-c", LIST_FDS), List.of(new PassedFd(listener, "http")));
      assertEquals(
          new RawExit.Exited(0),
          kids.spawn(spec).await(),
          () -> "stderr: " + readQuietly(kids.err()));
      assertTrue(leaky.getFD().valid());
    }
    List<String> lines = Files.readAllLines(kids.out());
    assertEquals("0 /dev/null", lines.get(0));
    assertEquals("1 " + kids.out(), lines.get(1));
    assertEquals("2 " + kids.err(), lines.get(2));
    assertTrue(lines.get(3).matches("3 socket:\\[\\d+]"), lines.get(3));
    // Whatever follows is only the directory fd os.listdir used (closed by the time of readlink).
    assertTrue(lines.size() <= 5, () -> "unexpected fds in the child: " + lines);
    if (lines.size() == 5) {
      assertTrue(lines.get(4).endsWith(" (closed)"), lines.get(4));
    }
  }

  @Test
  void severalFdsArriveInListOrderWithTheirNames() throws Exception {
    listener = Sockets.listenTcp("127.0.0.1", 0, 1);
    second = Sockets.listenTcp("::1", 0, 1);
    String script =
        """
        import os, socket
        print(os.environ["LISTEN_FDS"], os.environ["LISTEN_FDNAMES"], os.environ["LISTEN_PID"] == str(os.getpid()))
        for fd in (3, 4):
            print(socket.socket(fileno=fd).getsockname()[1])
        """;
    var spec =
        Kids.withFds(
            kids.spec("python3", "-c", script),
            List.of(new PassedFd(second, "admin"), new PassedFd(listener, "http")));
    assertEquals(
        new RawExit.Exited(0),
        kids.spawn(spec).await(),
        () -> "stderr: " + readQuietly(kids.err()));
    assertEquals(
        List.of(
            "2 admin:http True",
            Integer.toString(Sockets.localTcpAddress(second).getPort()),
            Integer.toString(Sockets.localTcpAddress(listener).getPort())),
        Files.readAllLines(kids.out()));
  }

  @Test
  void givenListenVariablesAreReplaced() throws Exception {
    listener = Sockets.listenTcp("127.0.0.1", 0, 1);
    var env =
        Kids.env(
            "PATH",
            "/usr/bin:/bin",
            "LISTEN_FDS",
            "9",
            "LISTEN_PID",
            "1",
            "LISTEN_ADDRESS",
            "kept");
    var spec =
        Kids.withFds(
            Kids.withEnv(kids.spec("/bin/sh", "-c", "env | grep ^LISTEN_ | sort"), env),
            List.of(new PassedFd(listener, "web")));
    var kid = kids.spawn(spec);
    kid.await();
    assertEquals(
        List.of(
            "LISTEN_ADDRESS=kept", "LISTEN_FDNAMES=web", "LISTEN_FDS=1", "LISTEN_PID=" + kid.pid()),
        Files.readAllLines(kids.out()));
  }

  @Test
  void withoutFdsThereIsNoTrampolineAndNoListenVariables() throws Exception {
    var kid = kids.spawn(kids.spec("/bin/sh", "-c", "env; tr '\\0' ' ' < /proc/$$/cmdline; echo"));
    kid.await();
    String out = kids.readOut();
    assertFalse(out.contains("LISTEN_"), out);
    assertTrue(out.endsWith("/bin/sh -c env; tr '\\0' ' ' < /proc/$$/cmdline; echo \n"), out);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(unreadable: " + e + ")";
    }
  }
}
