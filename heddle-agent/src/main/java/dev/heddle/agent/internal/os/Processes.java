package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * Process-level calls: identity of the agent, signals, session sweeps and orphan reaping. None of
 * these blocks for long: signals are sent, never awaited, and waits use WNOHANG.
 */
public final class Processes {
  private static final int PR_SET_CHILD_SUBREAPER = 36;

  private Processes() {}

  /** This JVM's pid. */
  public static int getpid() {
    return (int) ProcessHandle.current().pid();
  }

  /**
   * Links the FFM calls the agent's start-up makes (setsid, prctl, epoll, eventfd, read, write,
   * close), without calling them. Start-up runs it on a second thread: each call is linked once, on
   * first use, and a thread that needs a call another thread is linking waits for it.
   */
  public static void linkStartUpCalls() {
    Libc.linkSessionCalls();
    Epoll.linkAll();
    Libc.linkFdCalls();
  }

  /**
   * Makes this process the leader of a new session with no controlling terminal. Returns quietly
   * with EPERM, which means it already leads a process group (and so keeps its session).
   *
   * @throws OsException for any other failure
   */
  public static void setsid() throws OsException {
    int rc = Libc.setsid();
    if (rc < 0 && rc != -Errno.EPERM) {
      throw new OsException("setsid", "", -rc);
    }
  }

  /**
   * prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are re-parented to this process instead
   * of PID 1, so it must then reap them ({@link #reapOrphans}).
   */
  public static void becomeChildSubreaper() throws OsException {
    int rc = Libc.prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (rc < 0) {
      throw new OsException("prctl", "PR_SET_CHILD_SUBREAPER, 1", -rc);
    }
  }

  /**
   * Ends this process at once with {@code _exit(status)}: no shutdown hooks, no JVM exit protocol.
   * Only for after every cleanup is done. HotSpot's own exit waits up to 300 ms for threads blocked
   * in native code (NIO pollers in epoll_wait), which {@code Host.close()} would otherwise pay.
   */
  public static void exitNow(int status) {
    Libc.exitNow(status);
  }

  /**
   * Sends signal to the process behind pidfd (pidfd_send_signal), which cannot hit a recycled pid.
   * Returns quietly when the process is already gone (ESRCH).
   */
  public static void signal(int pidfd, int signal) throws OsException {
    long rc = Libc.syscall(Libc.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
    if (rc < 0 && rc != -Errno.ESRCH) {
      throw new OsException(
          "pidfd_send_signal", "pidfd " + pidfd + ", " + Signals.name(signal), (int) -rc);
    }
  }

  /**
   * kill(-pgid, signal): signals every process in the group; ignores ESRCH (group empty).
   *
   * @throws IllegalArgumentException when pgid is 1 or less (kill(-1) would signal every process)
   * @throws UncheckedIOException wrapping an {@link OsException} for other errors (EPERM, EINVAL)
   */
  public static void killGroup(int pgid, int signal) {
    if (pgid <= 1) {
      throw new IllegalArgumentException(
          "refusing to signal process group " + pgid + ": must be above 1");
    }
    send(-pgid, signal, "-" + pgid);
  }

  /**
   * kill(pid, signal); ignores ESRCH (already gone). Prefer {@link #signal(int, int)} with a pidfd.
   *
   * @throws IllegalArgumentException when pid is 0 or less (that would signal groups or everyone)
   * @throws UncheckedIOException wrapping an {@link OsException} for other errors (EPERM, EINVAL)
   */
  public static void kill(int pid, int signal) {
    if (pid <= 0) {
      throw new IllegalArgumentException("refusing to kill pid " + pid + ": must be above 0");
    }
    send(pid, signal, Integer.toString(pid));
  }

  private static void send(int target, int signal, String detail) {
    int rc = Libc.kill(target, signal);
    if (rc < 0 && rc != -Errno.ESRCH) {
      throw new UncheckedIOException(
          new OsException("kill", detail + ", " + Signals.name(signal), -rc));
    }
  }

  /**
   * The pids of every process whose session id (/proc/&lt;pid&gt;/stat field 6) is sid, zombies
   * included. A snapshot: processes may start or end while it is taken. Reads /proc; never blocks.
   */
  public static List<Integer> sessionMembers(int sid) {
    List<Integer> members = new ArrayList<>();
    for (int pid : allPids()) {
      ProcStat.read(pid).filter(s -> s.session() == sid).ifPresent(s -> members.add(pid));
    }
    return members;
  }

  /** The pids whose parent is {@code parent}, zombies included; a snapshot read from /proc. */
  public static List<Integer> childrenOf(int parent) {
    List<Integer> children = new ArrayList<>();
    for (int pid : allPids()) {
      ProcStat.read(pid).filter(s -> s.ppid() == parent).ifPresent(s -> children.add(pid));
    }
    return children;
  }

  /** /proc/&lt;pid&gt;/stat field 22 (clock ticks since boot), or empty when no such process. */
  public static OptionalLong startTime(int pid) {
    return ProcStat.read(pid).map(s -> OptionalLong.of(s.startTime())).orElse(OptionalLong.empty());
  }

  /** Whether pid exists and is not a zombie. */
  public static boolean alive(int pid) {
    return ProcStat.read(pid).filter(s -> !s.zombie()).isPresent();
  }

  /**
   * Reaps exited children that are not watched elsewhere: with the agent as subreaper these are
   * adopted orphans. Peeks with {@code waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT)} and reaps a pid only
   * when {@code isWatched} says it is not ours; when the peek shows a watched child, the other
   * zombie children are found through /proc. Never blocks.
   *
   * <p>{@code isWatched} must answer true for every child whose status someone else will collect:
   * children in an {@link ExitReactor} and any JDK {@code Process}. A child that was just spawned
   * and is not yet watched would be reaped here, so run spawn+watch and this method under one lock.
   *
   * @return how many children were reaped
   */
  public static int reapOrphans(IntPredicate isWatched) {
    int reaped = 0;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment siginfo = arena.allocate(ExitReactor.SIGINFO_SIZE, 8);
      int options = ExitReactor.WEXITED | ExitReactor.WNOHANG | ExitReactor.WNOWAIT;
      while (true) {
        siginfo.fill((byte) 0);
        int rc = Libc.waitid(ExitReactor.P_ALL, 0, siginfo, options);
        int pid = siginfo.get(Libc.INT, 16);
        if (rc < 0 || pid == 0) {
          return reaped; // ECHILD (no children) or none exited
        }
        if (isWatched.test(pid)) {
          return reaped + reapZombieChildren(isWatched, siginfo); // the peek would show it forever
        }
        if (!reapPid(pid, siginfo)) {
          return reaped + reapZombieChildren(isWatched, siginfo); // never peek the same pid forever
        }
        reaped++;
      }
    }
  }

  private static int reapZombieChildren(IntPredicate isWatched, MemorySegment siginfo) {
    int self = getpid();
    int reaped = 0;
    for (int pid : allPids()) {
      boolean mine = ProcStat.read(pid).filter(s -> s.ppid() == self && s.zombie()).isPresent();
      if (mine && !isWatched.test(pid) && reapPid(pid, siginfo)) {
        reaped++;
      }
    }
    return reaped;
  }

  private static boolean reapPid(int pid, MemorySegment siginfo) {
    siginfo.fill((byte) 0);
    int rc =
        Libc.waitid(ExitReactor.P_PID, pid, siginfo, ExitReactor.WEXITED | ExitReactor.WNOHANG);
    return rc == 0 && siginfo.get(Libc.INT, 16) == pid;
  }

  private static List<Integer> allPids() {
    List<Integer> pids = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path entry : proc) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          pids.add(Integer.parseInt(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
    return pids;
  }
}
