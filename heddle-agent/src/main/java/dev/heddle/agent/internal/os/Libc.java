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
import java.util.Objects;
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
  static final int SYS_CLOSE_RANGE = 436;
  static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
  static final int F_GETFD = 1;
  static final int F_SETFD = 2;
  static final int FD_CLOEXEC = 1;
  static final int F_DUPFD_CLOEXEC = 1030;
  static final int STAT_SIZE = 144;
  static final int STAT_INO_OFFSET = 8;
  static final int STATFS_SIZE = 120;
  static final long PIDFS_MAGIC = 0x50494446L;

  // Each downcall is linked on first use (holder classes): linking costs ~10 ms per shape, and the
  // agent's start-up needs only a few of them.
  private static final class Close {
    static final MethodHandle H = errnoCall("close", FunctionDescriptor.of(INT, INT));
  }

  private static final class Fcntl {
    static final MethodHandle H =
        errnoCall(
            "fcntl", FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2));
  }

  private static final class Syscall4 {
    static final MethodHandle H =
        errnoCall(
            "syscall",
            FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG),
            Linker.Option.firstVariadicArg(1));
  }

  private static final class Kill {
    static final MethodHandle H = errnoCall("kill", FunctionDescriptor.of(INT, INT, INT));
  }

  private static final class Setsid {
    static final MethodHandle H = errnoCall("setsid", FunctionDescriptor.of(INT));
  }

  private static final class Prctl {
    static final MethodHandle H =
        errnoCall(
            "prctl",
            FunctionDescriptor.of(INT, INT, LONG, LONG, LONG, LONG),
            Linker.Option.firstVariadicArg(1));
  }

  private static final class Waitid {
    static final MethodHandle H =
        errnoCall("waitid", FunctionDescriptor.of(INT, INT, INT, ADDR, INT));
  }

  private static final class Fstat {
    static final MethodHandle H = errnoCall("fstat", FunctionDescriptor.of(INT, INT, ADDR));
  }

  private static final class Fstatfs {
    static final MethodHandle H = errnoCall("fstatfs", FunctionDescriptor.of(INT, INT, ADDR));
  }

  private static final class Read {
    static final MethodHandle H = errnoCall("read", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  }

  private static final class Write {
    static final MethodHandle H = errnoCall("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  }

  private static final class Execve {
    static final MethodHandle H = errnoCall("execve", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR));
  }

  private static final class Exit {
    static final MethodHandle H = plainCall("_exit", FunctionDescriptor.ofVoid(INT));
  }

  private Libc() {}

  /**
   * Links setsid and prctl, which start-up calls first (see {@link Processes#linkStartUpCalls}).
   */
  static void linkSessionCalls() {
    Objects.requireNonNull(Setsid.H);
    Objects.requireNonNull(Prctl.H);
  }

  /** Links read, write and close (see {@link Processes#linkStartUpCalls}). */
  static void linkFdCalls() {
    Objects.requireNonNull(Read.H);
    Objects.requireNonNull(Write.H);
    Objects.requireNonNull(Close.H);
  }

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
      return result((int) Close.H.invokeExact(st, fd), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int fcntl(int fd, int cmd, int arg) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) Fcntl.H.invokeExact(st, fd, cmd, arg), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long syscall(long number, long a, long b, long c, long d) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) Syscall4.H.invokeExact(st, number, a, b, c, d), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int kill(int pid, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) Kill.H.invokeExact(st, pid, signal), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int setsid() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) Setsid.H.invokeExact(st), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static int prctl(int option, long arg2) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) Prctl.H.invokeExact(st, option, arg2, 0L, 0L, 0L), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** waitid into a caller-provided 128-byte siginfo_t; never blocks when options has WNOHANG. */
  static int waitid(int idtype, int id, MemorySegment siginfo, int options) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((int) Waitid.H.invokeExact(st, idtype, id, siginfo, options), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** st_ino of fd, or {@code -errno}. */
  static long fstatInode(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      MemorySegment stat = arena.allocate(STAT_SIZE, 8);
      int rc = result((int) Fstat.H.invokeExact(st, fd, stat), st);
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
      int rc = result((int) Fstatfs.H.invokeExact(st, fd, statfs), st);
      return rc < 0 ? rc : statfs.get(LONG, 0);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long read(int fd, MemorySegment buffer) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) Read.H.invokeExact(st, fd, buffer, buffer.byteSize()), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  static long write(int fd, MemorySegment buffer) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result((long) Write.H.invokeExact(st, fd, buffer, buffer.byteSize()), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /**
   * execve(2) with NULL-terminated arrays of C strings, allocated here: returns {@code -errno} only
   * when it failed, since on success this process runs {@code path} instead.
   */
  static int execve(String path, java.util.List<String> argv, java.util.List<String> envp) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = captureSegment(arena);
      return result(
          (int)
              Execve.H.invokeExact(
                  st, arena.allocateFrom(path), cStrings(arena, argv), cStrings(arena, envp)),
          st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  private static MemorySegment cStrings(Arena arena, java.util.List<String> strings) {
    MemorySegment array = arena.allocate(ADDR, strings.size() + 1L);
    for (int i = 0; i < strings.size(); i++) {
      array.setAtIndex(ADDR, i, arena.allocateFrom(strings.get(i)));
    }
    array.setAtIndex(ADDR, strings.size(), MemorySegment.NULL);
    return array;
  }

  /** _exit(2): never returns. */
  static void exitNow(int status) {
    try {
      Exit.H.invokeExact(status);
    } catch (Throwable t) {
      throw unexpected(t);
    }
    throw new AssertionError("_exit returned");
  }
}
