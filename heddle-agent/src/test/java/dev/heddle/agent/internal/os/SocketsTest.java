package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketsTest {
  private static final int FD_CLOEXEC = 1;
  @TempDir Path dir;

  @Test
  void tcpListenerOnAnEphemeralPortAcceptsConnections() throws Exception {
    int fd = Sockets.listenTcp("127.0.0.1", 0, 4);
    try {
      InetSocketAddress address = Sockets.localTcpAddress(fd);
      assertEquals(InetAddress.getByName("127.0.0.1"), address.getAddress());
      assertTrue(address.getPort() > 0);
      assertEquals(FD_CLOEXEC, Libc.fcntl(fd, Libc.F_GETFD, 0) & FD_CLOEXEC, "SOCK_CLOEXEC");
      try (SocketChannel client = SocketChannel.open(address)) {
        assertTrue(client.isConnected(), "the kernel completes the handshake into the backlog");
      }
    } finally {
      Fds.close(fd);
    }
    assertFalse(Fds.isOpen(fd));
  }

  @Test
  void ipv6LiteralsWork() throws Exception {
    int fd = Sockets.listenTcp("::1", 0, 1);
    try {
      InetSocketAddress address = Sockets.localTcpAddress(fd);
      assertTrue(address.getAddress() instanceof Inet6Address, address.toString());
      assertTrue(address.getAddress().isLoopbackAddress());
    } finally {
      Fds.close(fd);
    }
  }

  @Test
  void portInUseIsNamed() throws Exception {
    int fd = Sockets.listenTcp("127.0.0.1", 0, 1);
    try {
      int port = Sockets.localTcpAddress(fd).getPort();
      var e = assertThrows(OsException.class, () -> Sockets.listenTcp("127.0.0.1", port, 1));
      assertEquals(Errno.EADDRINUSE, e.errno());
      assertEquals("EADDRINUSE", e.errnoName());
      assertEquals("bind", e.call());
      assertEquals(
          "bind(127.0.0.1:"
              + port
              + ") failed: EADDRINUSE (Address already in use); TCP port "
              + port
              + " on 127.0.0.1 is in use by another socket",
          e.getMessage());
    } finally {
      Fds.close(fd);
    }
  }

  @Test
  void unknownHostIsAnOsException() {
    var e = assertThrows(OsException.class, () -> Sockets.listenTcp("no-such-host.invalid", 0, 1));
    assertTrue(
        e.getMessage()
            .startsWith(
                "resolve(no-such-host.invalid) failed: EINVAL (Invalid argument);"
                    + " unknown host name"),
        e.getMessage());
  }

  @Test
  void unixSocketAcceptsAJdkClient() throws Exception {
    Path path = dir.resolve("agent.sock");
    int fd = Sockets.listenUnix(path, 4);
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      assertTrue(client.isConnected());
      assertEquals(FD_CLOEXEC, Libc.fcntl(fd, Libc.F_GETFD, 0) & FD_CLOEXEC, "SOCK_CLOEXEC");
    } finally {
      Fds.close(fd);
    }
  }

  @Test
  void staleUnixSocketIsReplacedButALiveOneIsNot() throws Exception {
    Path path = dir.resolve("s.sock");
    int first = Sockets.listenUnix(path, 1);
    var e = assertThrows(OsException.class, () -> Sockets.listenUnix(path, 1));
    assertEquals(Errno.EADDRINUSE, e.errno());
    assertTrue(
        e.getMessage()
            .endsWith(
                "a process is accepting connections on this unix socket; stop it or"
                    + " choose another path"),
        e.getMessage());
    Fds.close(first); // the file stays behind: now it is stale
    assertTrue(Files.exists(path));
    int second = Sockets.listenUnix(path, 1);
    try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      assertTrue(client.isConnected());
    } finally {
      Fds.close(second);
    }
  }

  @Test
  void aRegularFileInTheWayIsNeverRemoved() throws Exception {
    Path path = Files.writeString(dir.resolve("precious.txt"), "data");
    var e = assertThrows(OsException.class, () -> Sockets.listenUnix(path, 1));
    assertEquals(Errno.EADDRINUSE, e.errno());
    assertTrue(
        e.getMessage().contains("a file that is not a socket is in the way"), e.getMessage());
    assertEquals("data", Files.readString(path));
  }

  @Test
  void unixPathTooLongSaysTheLimit() {
    Path path = dir.resolve("x".repeat(120));
    int length = path.toString().length();
    var e = assertThrows(OsException.class, () -> Sockets.listenUnix(path, 1));
    assertEquals(Errno.EINVAL, e.errno());
    assertEquals(
        "bind("
            + path
            + ") failed: EINVAL (Invalid argument); the unix socket path is "
            + length
            + " bytes long; the limit is 107 bytes (sun_path holds 108 including the terminating NUL): use a"
            + " shorter directory",
        e.getMessage());
  }

  @Test
  void localAddressOfAUnixSocketIsRefused() throws Exception {
    int fd = Sockets.listenUnix(dir.resolve("u.sock"), 1);
    try {
      var e = assertThrows(OsException.class, () -> Sockets.localTcpAddress(fd));
      assertTrue(
          e.getMessage().endsWith("fd " + fd + " is not a TCP socket (address family 1)"),
          e.getMessage());
    } finally {
      Fds.close(fd);
    }
  }
}
