package dev.heddle.agent.internal.os;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The glibc calls every other class here shares, bound once through FFM. Wrappers return the call's
 * result, or {@code -errno} when it failed (the kernel's own convention), so callers decide what an
 * error means. None of these calls blocks for long; the blocking ones live in {@link Epoll}.
 */
@SuppressWarnings("restricted")
final class Libc {
  static final Linker LINKER = Linker.nativeLinker();
  static final SymbolLookup LOOKUP = LINKER.defaultLookup();
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  static final AddressLayout ADDR = ValueLayout.ADDRESS;

  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  static final int SYS_PIDFD_SEND_SIGNAL = 424;
  static final int SYS_PIDFD_OPEN = 434;
  static final int F_GETFD = 1;
  static final int F_DUPFD_CLOEXEC = 1030;
  static final int STAT_SIZE = 144;
  static final int STAT_INO_OFFSET = 8;
  static final int STATFS_SIZE = 120;
  static final long PIDFS_MAGIC = 0x50494446L;

  private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle FCNTL =
      errnoCall(
          "fcntl", FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle SYSCALL4 =
      errnoCall(
          "syscall",
          FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG),
          Linker.Option.firstVariadicArg(1));
  private static final MethodHandle KILL = errnoCall("kill", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle SETSID = errnoCall("setsid", FunctionDescriptor.of(INT));
  private static final MethodHandle PRCTL =
      errnoCall(
          "prctl",
          FunctionDescriptor.of(INT, INT, LONG, LONG, LONG, LONG),
          Linker.Option.firstVariadicArg(1));
  private static final MethodHandle WAITID =
      errnoCall("waitid", FunctionDescriptor.of(INT, INT, INT, ADDR, INT));
  private static final MethodHandle FSTAT =
      errnoCall("fstat", FunctionDescriptor.of(INT, INT, ADDR));
  private static final MethodHandle FSTATFS =
      errnoCall("fstatfs", FunctionDescriptor.of(INT, INT, ADDR));
  private static final MethodHandle READ =
      errnoCall("read", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  private static final MethodHandle WRITE =
      errnoCall("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));

  private Libc() {}

  /** A downcall whose first argument is the errno capture segment. */
  static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
    Linker.Option[] options = new Linker.Option[extra.length + 1];
    options[0] = Linker.Option.captureCallState("errno");
    System.arraycopy(extra, 0, options, 1, extra.length);
    return LINKER.downcallHandle(symbol(name), fd, options);
  }

  /** A downcall without errno capture (for calls that return their error, like posix_spawn). */
  static MethodHandle plainCall(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(symbol(name), fd);
  }

  /** A downcall for a symbol that older C libraries may lack. */
  static Optional<MethodHandle> optionalCall(String name, FunctionDescriptor fd) {
    return LOOKUP.find(name).map(address -> LINKER.downcallHandle(address, fd));
  }

  private static MemorySegment symbol(String name) {
    return LOOKUP
        .find(name)
        .orElseThrow(
            () ->
                new UnsatisfiedLinkError(
                    "the C library has no " + name + "; Heddle's agent needs glibc 2.34 or newer"));
  }

  static MemorySegment captureSegment(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  /** Turns a {@code -1} return into {@code -errno}. */
  static int result(int rc, MemorySegment capture) {
    return rc == -1 ? -errno(capture) : rc;
  }

  static long result(long rc, MemorySegment capture) {
    return rc == -1 ? -errno(capture) : rc;
  }

  static AssertionError unexpected(Throwable t) {
    return new AssertionError("FFM downcall failed unexpectedly", t);
  }

  static int close(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) CLOSE.invokeExact(st, fd), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int fcntl(int fd, int cmd, int arg) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) FCNTL.invokeExact(st, fd, cmd, arg), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long syscall(long number, long a, long b, long c, long d) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) SYSCALL4.invokeExact(st, number, a, b, c, d), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int kill(int pid, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) KILL.invokeExact(st, pid, signal), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int setsid() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) SETSID.invokeExact(st), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int prctl(int option, long arg2) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) PRCTL.invokeExact(st, option, arg2, 0L, 0L, 0L), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** waitid into a caller-provided 128-byte siginfo_t; never blocks when options has WNOHANG. */
  static int waitid(int idtype, int id, MemorySegment siginfo, int options) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) WAITID.invokeExact(st, idtype, id, siginfo, options), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** st_ino of fd, or {@code -errno}. */
  static long fstatInode(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      MemorySegment stat = arena.allocate(STAT_SIZE, 8);
      int rc = result((int) FSTAT.invokeExact(st, fd, stat), st);
      return rc < 0 ? rc : stat.get(LONG, STAT_INO_OFFSET);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** f_type of the filesystem fd lives on, or {@code -errno}. */
  static long fstatfsType(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      MemorySegment statfs = arena.allocate(STATFS_SIZE, 8);
      int rc = result((int) FSTATFS.invokeExact(st, fd, statfs), st);
      return rc < 0 ? rc : statfs.get(LONG, 0);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long read(int fd, MemorySegment buffer) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) READ.invokeExact(st, fd, buffer, buffer.byteSize()), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long write(int fd, MemorySegment buffer) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) WRITE.invokeExact(st, fd, buffer, buffer.byteSize()), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }
}
