package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Listening sockets made with FFM (never JDK channels), always SOCK_CLOEXEC, so they can be passed
 * to children by {@link Spawner} and never leak into them otherwise. The caller owns every returned
 * fd and closes it with {@link Fds#close(int)}. Nothing here accepts or otherwise blocks, except
 * that resolving a host name (not a literal) may wait for DNS.
 */
public final class Sockets {
  static final int UNIX_PATH_MAX = 107; // sun_path is 108 bytes including the terminating NUL
  private static final ValueLayout.OfShort PORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final int SOCKADDR_IN = 16;
  private static final int SOCKADDR_IN6 = 28;
  private static final int SOCKADDR_UN = 110;
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private Sockets() {}

  /**
   * socket, setsockopt(SO_REUSEADDR), bind and listen. host is an IPv4 or IPv6 literal or a name
   * (resolved with InetAddress); port 0 lets the kernel pick (read it with {@link
   * #localTcpAddress}).
   *
   * @return the listening socket's fd, owned by the caller
   * @throws OsException naming host:port; EADDRINUSE says the port is in use
   */
  public static int listenTcp(String host, int port, int backlog) throws OsException {
    if (port < 0 || port > 65535 || backlog < 1) {
      throw new IllegalArgumentException(
          "port must be 0..65535 and backlog at least 1; got port "
              + port
              + ", backlog "
              + backlog);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new OsException("resolve", host, Errno.EINVAL, "unknown host name: " + e.getMessage());
    }
    boolean v6 = address instanceof Inet6Address;
    String where =
        (v6 ? "[" + address.getHostAddress() + "]" : address.getHostAddress()) + ":" + port;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sockaddr = arena.allocate(v6 ? SOCKADDR_IN6 : SOCKADDR_IN, 4);
      byte[] raw = address.getAddress();
      sockaddr.set(
          ValueLayout.JAVA_SHORT, 0, (short) (v6 ? SocketCalls.AF_INET6 : SocketCalls.AF_INET));
      sockaddr.set(PORT, 2, (short) port);
      MemorySegment.copy(MemorySegment.ofArray(raw), 0, sockaddr, v6 ? 8 : 4, raw.length);
      if (v6) {
        sockaddr.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) address).getScopeId());
      }
      int fd =
          check(
              "socket",
              where,
              SocketCalls.socket(
                  v6 ? SocketCalls.AF_INET6 : SocketCalls.AF_INET,
                  SocketCalls.SOCK_STREAM | SocketCalls.SOCK_CLOEXEC),
              -1,
              null);
      check("setsockopt", where + ", SO_REUSEADDR", SocketCalls.reuseAddress(fd), fd, null);
      int rc = SocketCalls.bind(fd, sockaddr);
      check(
          "bind",
          where,
          rc,
          fd,
          rc == -Errno.EADDRINUSE
              ? "TCP port "
                  + port
                  + " on "
                  + address.getHostAddress()
                  + " is in use by another socket"
              : null);
      check("listen", where, SocketCalls.listen(fd, backlog), fd, null);
      return fd;
    }
  }

  /**
   * An AF_UNIX SOCK_STREAM listening socket at path. An existing socket file is removed first only
   * when nothing accepts on it (a stale socket of a dead process); other files are never removed.
   *
   * @return the listening socket's fd, owned by the caller; the caller also removes the file
   * @throws OsException EINVAL when the path is longer than 107 bytes, EADDRINUSE when a process
   *     accepts on it or a non-socket file is in the way, or whatever socket/bind/listen report
   */
  public static int listenUnix(Path path, int backlog) throws OsException {
    byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > UNIX_PATH_MAX) {
      throw new OsException(
          "bind",
          path.toString(),
          Errno.EINVAL,
          "the unix socket path is "
              + bytes.length
              + " bytes long; the limit is "
              + UNIX_PATH_MAX
              + " bytes (sun_path holds 108"
              + " including the terminating NUL): use a shorter directory");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sockaddr = arena.allocate(SOCKADDR_UN, 2);
      sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) SocketCalls.AF_UNIX);
      MemorySegment.copy(MemorySegment.ofArray(bytes), 0, sockaddr, 2, bytes.length);
      removeIfStale(path, sockaddr);
      String where = path.toString();
      int fd =
          check(
              "socket",
              "AF_UNIX " + where,
              SocketCalls.socket(
                  SocketCalls.AF_UNIX, SocketCalls.SOCK_STREAM | SocketCalls.SOCK_CLOEXEC),
              -1,
              null);
      int rc = SocketCalls.bind(fd, sockaddr);
      check(
          "bind",
          where,
          rc,
          fd,
          rc == -Errno.EADDRINUSE
              ? "a file that is not a socket is in the way; remove it or choose another path"
              : null);
      check("listen", where, SocketCalls.listen(fd, backlog), fd, null);
      return fd;
    }
  }

  private static void removeIfStale(Path path, MemorySegment sockaddr) throws OsException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return; // nothing there (or unknowable): bind will tell
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      return;
    }
    int probe =
        check(
            "socket",
            "AF_UNIX probe of " + path,
            SocketCalls.socket(
                SocketCalls.AF_UNIX,
                SocketCalls.SOCK_STREAM | SocketCalls.SOCK_CLOEXEC | SocketCalls.SOCK_NONBLOCK),
            -1,
            null);
    int rc = SocketCalls.connect(probe, sockaddr);
    Fds.close(probe);
    if (rc != -Errno.ECONNREFUSED) { // connected, or EAGAIN: the backlog of a live listener is full
      throw new OsException(
          "bind",
          path.toString(),
          Errno.EADDRINUSE,
          "a process is accepting connections on this unix socket; stop it or choose another path");
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new OsException(
          "unlink", path.toString(), Errno.EACCES, "cannot remove the stale socket: " + e);
    }
  }

  /**
   * The address a TCP socket is bound to (getsockname), for example to learn the port the kernel
   * picked for port 0.
   *
   * @throws OsException when fd is not open, or EINVAL when it is not an IPv4 or IPv6 socket
   */
  public static InetSocketAddress localTcpAddress(int fd) throws OsException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sockaddr = arena.allocate(128, 8);
      check("getsockname", "fd " + fd, SocketCalls.getsockname(fd, sockaddr), -1, null);
      int family = sockaddr.get(ValueLayout.JAVA_SHORT, 0);
      int port = Short.toUnsignedInt(sockaddr.get(PORT, 2));
      if (family == SocketCalls.AF_INET) {
        return new InetSocketAddress(
            InetAddress.getByAddress(sockaddr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)), port);
      }
      if (family == SocketCalls.AF_INET6) {
        byte[] raw = sockaddr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
        return new InetSocketAddress(
            Inet6Address.getByAddress(null, raw, sockaddr.get(ValueLayout.JAVA_INT, 24)), port);
      }
      throw new OsException(
          "getsockname",
          "fd " + fd,
          Errno.EINVAL,
          "fd " + fd + " is not a TCP socket (address family " + family + ")");
    } catch (UnknownHostException e) {
      throw new AssertionError("raw addresses of the right length always convert", e);
    }
  }

  /** Returns rc when it is not negative; otherwise closes fd (when not -1) and throws. */
  private static int check(
      String call, String detail, int rc, int fd, @org.jspecify.annotations.Nullable String advice)
      throws OsException {
    if (rc >= 0) {
      return rc;
    }
    Fds.close(fd);
    throw new OsException(call, detail, -rc, advice);
  }
}
