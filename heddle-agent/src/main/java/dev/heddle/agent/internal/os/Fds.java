package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Raw file descriptor helpers. None of these blocks. */
public final class Fds {
  private Fds() {}

  /** Whether fd is an open descriptor of this process ({@code fcntl(F_GETFD) != -1}). */
  public static boolean isOpen(int fd) {
    return fd >= 0 && Libc.fcntl(fd, Libc.F_GETFD, 0) >= 0;
  }

  /**
   * Closes fd, ignoring EBADF (already closed). Never retries: on Linux the fd is released even
   * when close reports EINTR or EIO, and a retry could close a descriptor another thread just
   * opened.
   */
  public static void close(int fd) {
    if (fd >= 0) {
      Libc.close(fd);
    }
  }

  /** How many fds this process has open, not counting the one used to list /proc/self/fd. */
  public static int openFdCount() {
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      return (int) entries.count() - 1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc/self/fd", e);
    }
  }
}
