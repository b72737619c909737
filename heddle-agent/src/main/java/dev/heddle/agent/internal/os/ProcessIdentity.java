package dev.heddle.agent.internal.os;

import java.util.Optional;

/**
 * Who a process is: never a pid alone. {@code pidfdInode} is 0 where the kernel has no pidfs
 * (before Linux 6.9); {@code startTime} is /proc/&lt;pid&gt;/stat field 22 (clock ticks since
 * boot).
 */
public record ProcessIdentity(int pid, long startTime, long pidfdInode) {

  /**
   * Reads the identity of pid through its pidfd: start time from /proc, inode from fstat(pidfd)
   * when the pidfd lives on pidfs. Open the pidfd first and read the identity second, so a recycled
   * pid cannot slip in between. Never blocks; does not close pidfd.
   *
   * @return empty when the process no longer exists or pidfd is not open
   */
  public static Optional<ProcessIdentity> read(int pid, int pidfd) {
    long inode = pidfdInode(pidfd);
    if (inode < 0) {
      return Optional.empty();
    }
    return ProcStat.read(pid).map(stat -> new ProcessIdentity(pid, stat.startTime(), inode));
  }

  /**
   * Whether pid, seen through pidfd, is still this process: same pid, same start time, and the same
   * pidfs inode where both sides know it. Never blocks; does not close pidfd.
   */
  public boolean matches(int pid, int pidfd) {
    if (pid != this.pid) {
      return false;
    }
    return read(pid, pidfd)
        .filter(
            now ->
                now.startTime == startTime
                    && (now.pidfdInode == 0 || pidfdInode == 0 || now.pidfdInode == pidfdInode))
        .isPresent();
  }

  /**
   * The pidfs inode of pidfd, 0 when pidfds are anonymous inodes (kernel &lt; 6.9), -errno on
   * error.
   */
  private static long pidfdInode(int pidfd) {
    long type = Libc.fstatfsType(pidfd);
    if (type < 0) {
      return type;
    }
    return type == Libc.PIDFS_MAGIC ? Libc.fstatInode(pidfd) : 0;
  }
}
