package dev.heddle.agent.internal.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replacing the agent's program under its own pid ({@code execve}), keeping chosen file
 * descriptors: how the agent upgrades in place. Its children stay its children (a pid's children
 * follow it across execve, and so does the child-subreaper flag), and a child that exits meanwhile
 * stays a zombie until the new program reaps it, so no pid of a child can be recycled in between.
 */
public final class InPlace {
  private InPlace() {}

  /**
   * Marks every descriptor from 3 up close-on-exec except {@code keep}, then executes {@code argv}
   * with {@code env}. The JVM opens most of its descriptors without close-on-exec (it closes them
   * itself when it starts a process), so without the first step the new program would inherit the
   * old one's jars, sockets and locks, including the state-directory lock it must take again.
   *
   * @return only on failure: the {@link OsException} of the failed call
   */
  public static OsException exec(List<String> argv, Map<String, String> env, List<Integer> keep) {
    long rc = Libc.syscall(Libc.SYS_CLOSE_RANGE, 3, 0xFFFF_FFFFL, Libc.CLOSE_RANGE_CLOEXEC, 0);
    if (rc < 0) {
      return new OsException("close_range", "3..~0, CLOSE_RANGE_CLOEXEC", (int) -rc);
    }
    for (int fd : keep) {
      int r = Libc.fcntl(fd, Libc.F_SETFD, 0);
      if (r < 0) {
        return new OsException("fcntl", fd + ", F_SETFD, 0", -r);
      }
    }
    List<String> envp = new ArrayList<>();
    env.forEach((k, v) -> envp.add(k + "=" + v));
    int r = Libc.execve(argv.getFirst(), argv, envp);
    return new OsException("execve", argv.getFirst(), -r);
  }

  /** Sets close-on-exec on fd again (after the new program took it over). */
  public static void closeOnExec(int fd) {
    var _ = Libc.fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC);
  }

  /**
   * Opens a pidfd for {@code pid}, a child of this process that the previous program of this pid
   * spawned, and reads its identity; empty when the pid is gone or its identity cannot be read. The
   * caller compares the identity with the recorded one and closes the pidfd.
   */
  public static java.util.Optional<Spawned> reopen(int pid) {
    long pidfd = Libc.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0, 0);
    if (pidfd < 0) {
      return java.util.Optional.empty();
    }
    java.util.Optional<ProcessIdentity> identity = ProcessIdentity.read(pid, (int) pidfd);
    if (identity.isEmpty()) {
      Fds.close((int) pidfd);
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Spawned(pid, (int) pidfd, identity.get()));
  }

  /** The parent pid of {@code pid}, or -1 when it cannot be read. */
  public static int parentOf(int pid) {
    return ProcStat.read(pid).map(ProcStat::ppid).orElse(-1);
  }
}
