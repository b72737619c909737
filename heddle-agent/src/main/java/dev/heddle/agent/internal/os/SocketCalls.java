package dev.heddle.agent.internal.os;

import static dev.heddle.agent.internal.os.Libc.ADDR;
import static dev.heddle.agent.internal.os.Libc.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Socket system calls; each returns its result or -errno and never blocks (no accept here). */
final class SocketCalls {
  static final int AF_UNIX = 1;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_STREAM = 1;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_REUSEADDR = 2;

  private static final MethodHandle SOCKET =
      Libc.errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle SETSOCKOPT =
      Libc.errnoCall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, INT));
  private static final MethodHandle BIND =
      Libc.errnoCall("bind", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle CONNECT =
      Libc.errnoCall("connect", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle LISTEN =
      Libc.errnoCall("listen", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle GETSOCKNAME =
      Libc.errnoCall("getsockname", FunctionDescriptor.of(INT, INT, ADDR, ADDR));

  private SocketCalls() {}

  static int socket(int family, int type) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      return Libc.result((int) SOCKET.invokeExact(st, family, type, 0), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  static int reuseAddress(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      MemorySegment one = arena.allocateFrom(INT, 1);
      return Libc.result(
          (int) SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_REUSEADDR, one, 4), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  static int bind(int fd, MemorySegment address) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      return Libc.result((int) BIND.invokeExact(st, fd, address, (int) address.byteSize()), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  /** connect; on a non-blocking socket this returns -EINPROGRESS or -EAGAIN rather than block. */
  static int connect(int fd, MemorySegment address) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      return Libc.result((int) CONNECT.invokeExact(st, fd, address, (int) address.byteSize()), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  static int listen(int fd, int backlog) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      return Libc.result((int) LISTEN.invokeExact(st, fd, backlog), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  /** getsockname into {@code address} (128 bytes is enough for any family); returns its length. */
  static int getsockname(int fd, MemorySegment address) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      MemorySegment length = arena.allocateFrom(INT, (int) address.byteSize());
      int rc = Libc.result((int) GETSOCKNAME.invokeExact(st, fd, address, length), st);
      return rc < 0 ? rc : length.get(INT, 0);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }
}
