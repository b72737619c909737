package dev.heddle.agent.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process spawned ahead of time as the next incarnation of a service: heddle-exec, already in its
 * cgroup, with its log files, passed fds and environment in place, blocked reading a pipe. {@link
 * #go()} writes one byte and it execs the program under its pid: a restart without posix_spawn on
 * its path. {@link #drop()} closes the pipe instead and it exits 0 having run nothing; so does a
 * spare whose agent dies. Thread-safe: the first of go or drop wins.
 */
public final class Spare {
  private final Spawned spawned;
  private final Path program;
  private final int goFd;
  private final AtomicBoolean used = new AtomicBoolean();

  Spare(Spawned spawned, Path program, int goFd) {
    this.spawned = spawned;
    this.program = program;
    this.goFd = goFd;
  }

  /** Its pid, pidfd (owned by whoever watches it) and identity, which the exec keeps. */
  public Spawned spawned() {
    return spawned;
  }

  /** The resolved path it will exec. */
  public Path program() {
    return program;
  }

  /**
   * Lets it exec the program. Returns false when it was already dropped or used, or the byte could
   * not be written (it has exited: the pipe has no reader).
   */
  public boolean go() {
    if (!used.compareAndSet(false, true)) {
      return false;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment one = arena.allocate(1);
      one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'g');
      return Libc.write(goFd, one) == 1;
    } finally {
      Fds.close(goFd);
    }
  }

  /** Tells it to exit without running anything (end of file on its pipe); idempotent. */
  public void drop() {
    if (used.compareAndSet(false, true)) {
      Fds.close(goFd);
    }
  }
}
