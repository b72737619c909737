package dev.heddle.agent.internal.os;

import static dev.heddle.agent.internal.os.Libc.ADDR;
import static dev.heddle.agent.internal.os.Libc.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * epoll and eventfd. {@link #await} blocks and must only run on a platform thread (the reactor's);
 * the others return at once and are safe from any thread. struct epoll_event is PACKED on x86_64:
 * 12 bytes, u32 events at 0, u64 data at 4.
 */
final class Epoll {
  static final int EVENT_SIZE = 12;
  static final int EPOLLIN = 0x001;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EFD_CLOEXEC = 0x80000;
  private static final int EFD_NONBLOCK = 0x800;

  // Linked on first use (holder classes); epoll_wait is then linked on the reactor thread.
  private static final class Create {
    static final MethodHandle H = Libc.errnoCall("epoll_create1", FunctionDescriptor.of(INT, INT));
  }

  private static final class Ctl {
    static final MethodHandle H =
        Libc.errnoCall("epoll_ctl", FunctionDescriptor.of(INT, INT, INT, INT, ADDR));
  }

  private static final class Wait {
    static final MethodHandle H =
        Libc.errnoCall("epoll_wait", FunctionDescriptor.of(INT, INT, ADDR, INT, INT));
  }

  private static final class EventFd {
    static final MethodHandle H = Libc.errnoCall("eventfd", FunctionDescriptor.of(INT, INT, INT));
  }

  private Epoll() {}

  /** Links every call (see {@link Processes#linkStartUpCalls}). */
  static void linkAll() {
    Objects.requireNonNull(Create.H);
    Objects.requireNonNull(EventFd.H);
    Objects.requireNonNull(Ctl.H);
    Objects.requireNonNull(Wait.H);
  }

  static int create() throws OsException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      return check(
          "epoll_create1",
          "EPOLL_CLOEXEC",
          Libc.result((int) Create.H.invokeExact(st, EPOLL_CLOEXEC), st));
    } catch (OsException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  static int eventfd() throws OsException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      int rc = Libc.result((int) EventFd.H.invokeExact(st, 0, EFD_CLOEXEC | EFD_NONBLOCK), st);
      return check("eventfd", "0, EFD_CLOEXEC|EFD_NONBLOCK", rc);
    } catch (OsException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  /** epoll_ctl; returns 0 or -errno. {@code data} comes back with each event for fd. */
  static int control(int epfd, int op, int fd, int events, long data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = Libc.captureSegment(arena);
      MemorySegment event = arena.allocate(EVENT_SIZE, 4);
      event.set(INT, 0, events);
      event.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, data);
      return Libc.result((int) Ctl.H.invokeExact(st, epfd, op, fd, event), st);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  /**
   * Blocks in epoll_wait until an event or the timeout (-1 = forever). Returns the number of events
   * written to {@code events} (room for {@code events.byteSize() / 12}), or -errno.
   */
  static int await(int epfd, MemorySegment events, MemorySegment capture, int timeoutMillis) {
    try {
      int max = (int) (events.byteSize() / EVENT_SIZE);
      return Libc.result(
          (int) Wait.H.invokeExact(capture, epfd, events, max, timeoutMillis), capture);
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  static long eventData(MemorySegment events, int index) {
    return events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) index * EVENT_SIZE + 4);
  }

  /** Adds 1 to an eventfd's counter, waking whoever polls it; never blocks (EFD_NONBLOCK). */
  static void signal(int eventfd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
      one.set(ValueLayout.JAVA_LONG, 0, 1L);
      Libc.write(eventfd, one);
    }
  }

  /** Resets an eventfd's counter to 0; never blocks (EFD_NONBLOCK). */
  static void drain(int eventfd) {
    try (Arena arena = Arena.ofConfined()) {
      Libc.read(eventfd, arena.allocate(ValueLayout.JAVA_LONG));
    }
  }

  private static int check(String call, String detail, int rc) throws OsException {
    if (rc < 0) {
      throw new OsException(call, detail, -rc);
    }
    return rc;
  }
}
