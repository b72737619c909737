package dev.heddle.agent.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Watches children exit with one platform thread for all of them: epoll over their pidfds, plus an
 * eventfd that wakes the thread to close. Never a thread per child. Registration needs no wake-up:
 * epoll_ctl from any thread takes effect in a running epoll_wait at once.
 *
 * <p>Thread-safe. Futures complete on the reactor thread, so callbacks attached to them must be
 * short (or use the {@code *Async} variants). The reactor owns its epoll fd and eventfd and closes
 * them in {@link #close()}; it never closes a watched pidfd.
 */
public final class ExitReactor implements AutoCloseable {
  static final int P_ALL = 0;
  static final int P_PID = 1;
  static final int P_PIDFD = 3;
  static final int WNOHANG = 1;
  static final int WEXITED = 4;
  static final int WNOWAIT = 0x01000000;
  static final int SIGINFO_SIZE = 128;
  private static final int CLD_EXITED = 1;
  private static final int CLD_KILLED = 2;
  private static final int CLD_DUMPED = 3;
  private static final long WAKE = -1L;
  private static final int MAX_EVENTS = 64;

  private record Watch(int pid, int pidfd, CompletableFuture<RawExit> future) {}

  private final String name;
  private final int epfd;
  private final int eventfd;
  private final Thread thread;
  private final ConcurrentHashMap<Integer, Watch> watches = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private boolean closed; // guarded by lock: set before the reactor closes its fds
  private volatile boolean closeRequested;

  private ExitReactor(String name, int epfd, int eventfd) {
    this.name = name;
    this.epfd = epfd;
    this.eventfd = eventfd;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
  }

  /**
   * Creates the epoll set and eventfd and starts the reactor's daemon platform thread, named {@code
   * threadName}. Close the reactor to stop the thread and release the fds.
   *
   * @throws OsException when epoll or eventfd cannot be created (for example EMFILE)
   */
  public static ExitReactor start(String threadName) throws OsException {
    int epfd = Epoll.create();
    int eventfd = -1;
    try {
      eventfd = Epoll.eventfd();
      int rc = Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, eventfd, Epoll.EPOLLIN, WAKE);
      if (rc < 0) {
        throw new OsException("epoll_ctl", "ADD eventfd " + eventfd, -rc);
      }
    } catch (OsException e) {
      Fds.close(eventfd);
      Fds.close(epfd);
      throw e;
    }
    ExitReactor reactor = new ExitReactor(threadName, epfd, eventfd);
    reactor.thread.start();
    return reactor;
  }

  /**
   * Watches a child's pidfd; when it becomes readable, reaps the child with {@code waitid(P_PIDFD,
   * WEXITED|WNOHANG)} and completes the future with its status. The caller keeps owning pidfd and
   * may close it once the future is complete (not before). Never blocks.
   *
   * <p>The future completes exceptionally with an {@link OsException} (ECHILD) when pid is not a
   * child of this process, with {@link CancellationException} when the reactor is or gets closed,
   * and with {@link IllegalStateException} when pidfd is already watched.
   */
  public CompletableFuture<RawExit> watch(int pid, int pidfd) {
    CompletableFuture<RawExit> future = new CompletableFuture<>();
    synchronized (lock) {
      if (closed || closeRequested) {
        future.completeExceptionally(
            new CancellationException("exit reactor '" + name + "' is closed"));
        return future;
      }
      if (watches.putIfAbsent(pidfd, new Watch(pid, pidfd, future)) != null) {
        future.completeExceptionally(
            new IllegalStateException("pidfd " + pidfd + " is already watched"));
        return future;
      }
      int rc = Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, pidfd, Epoll.EPOLLIN, pidfd);
      if (rc < 0) {
        watches.remove(pidfd);
        future.completeExceptionally(
            new OsException("epoll_ctl", "ADD pidfd " + pidfd + " of pid " + pid, -rc));
      }
    }
    return future;
  }

  /** How many children are watched and not yet reaped. */
  public int watchedCount() {
    return watches.size();
  }

  /** Whether pid is watched (registered and not yet reaped). */
  public boolean watches(int pid) {
    return watches.values().stream().anyMatch(w -> w.pid() == pid);
  }

  /**
   * Stops the thread (wakes it via the eventfd and joins it), closes the epoll fd and eventfd;
   * pending futures complete exceptionally with {@link CancellationException}. Blocks until the
   * thread has ended, unless called on the reactor thread itself. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closeRequested = true;
      if (!closed) {
        Epoll.signal(eventfd);
      }
    }
    if (Thread.currentThread() == thread) {
      return; // a callback closed us: the loop ends after this round of events
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    @Nullable Throwable failure = null;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment events = arena.allocate((long) Epoll.EVENT_SIZE * MAX_EVENTS, 8);
      MemorySegment capture = Libc.captureSegment(arena);
      MemorySegment siginfo = arena.allocate(SIGINFO_SIZE, 8);
      while (!closeRequested) {
        int n = Epoll.await(epfd, events, capture, -1);
        if (n == -Errno.EINTR) {
          continue;
        }
        if (n < 0) {
          failure = new OsException("epoll_wait", "epfd " + epfd, -n);
          break;
        }
        for (int i = 0; i < n; i++) {
          long data = Epoll.eventData(events, i);
          if (data == WAKE) {
            Epoll.drain(eventfd);
          } else {
            reap((int) data, siginfo);
          }
        }
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      shutDown(failure);
    }
  }

  private void reap(int pidfd, MemorySegment siginfo) {
    Watch watch = watches.get(pidfd);
    if (watch == null) {
      Epoll.control(epfd, Epoll.EPOLL_CTL_DEL, pidfd, 0, 0);
      return;
    }
    siginfo.fill((byte) 0);
    int rc = Libc.waitid(P_PIDFD, pidfd, siginfo, WEXITED | WNOHANG);
    if (rc == -Errno.EINTR || (rc == 0 && siginfo.get(Libc.INT, 16) == 0)) {
      return; // not reapable yet; level-triggered epoll reports it again
    }
    Epoll.control(epfd, Epoll.EPOLL_CTL_DEL, pidfd, 0, 0);
    watches.remove(pidfd);
    if (rc < 0) {
      String advice =
          rc == -Errno.ECHILD
              ? "pid "
                  + watch.pid()
                  + " is not a child of this process (or was reaped elsewhere), so its"
                  + " exit status cannot be read"
              : null;
      watch
          .future()
          .completeExceptionally(
              new OsException(
                  "waitid", "P_PIDFD " + pidfd + " of pid " + watch.pid(), -rc, advice));
      return;
    }
    try {
      watch.future().complete(decode(siginfo));
    } catch (IllegalStateException e) {
      watch.future().completeExceptionally(e);
    }
  }

  /** The status in a siginfo_t filled by waitid(WEXITED): si_code at 8, si_status at 24. */
  static RawExit decode(MemorySegment siginfo) {
    int code = siginfo.get(Libc.INT, 8);
    int status = siginfo.get(Libc.INT, 24);
    return switch (code) {
      case CLD_EXITED -> new RawExit.Exited(status);
      case CLD_KILLED -> new RawExit.Signaled(status, false);
      case CLD_DUMPED -> new RawExit.Signaled(status, true);
      default ->
          throw new IllegalStateException(
              "waitid reported si_code "
                  + code
                  + " (status "
                  + status
                  + ") for pid "
                  + siginfo.get(Libc.INT, 16)
                  + "; expected CLD_EXITED, CLD_KILLED or CLD_DUMPED");
    };
  }

  private void shutDown(@Nullable Throwable failure) {
    synchronized (lock) {
      closed = true;
      Fds.close(epfd);
      Fds.close(eventfd);
    }
    for (Watch watch : List.copyOf(watches.values())) {
      watches.remove(watch.pidfd());
      Throwable why =
          failure != null
              ? failure
              : new CancellationException(
                  "exit reactor '" + name + "' closed before pid " + watch.pid() + " exited");
      watch.future().completeExceptionally(why);
    }
  }
}
