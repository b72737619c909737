package dev.heddle.agent.internal.os;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a system call fails. The message names the call, its argument, errno's symbolic name
 * and its text, for example {@code bind(127.0.0.1:7000) failed: EADDRINUSE (Address already in
 * use)}, optionally followed by advice.
 */
public class OsException extends IOException {
  private final String call;
  private final int errno;

  /** A failure of {@code call(detail)} with {@code errno}. */
  public OsException(String call, String detail, int errno) {
    this(call, detail, errno, null);
  }

  /** As {@link #OsException(String, String, int)}, with advice appended after a semicolon. */
  public OsException(String call, String detail, int errno, @Nullable String advice) {
    super(message(call, detail, errno, advice));
    this.call = call;
    this.errno = errno;
  }

  private static String message(String call, String detail, int errno, @Nullable String advice) {
    String base =
        call + "(" + detail + ") failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")";
    return advice == null ? base : base + "; " + advice;
  }

  /** The errno value, for example {@link Errno#EADDRINUSE}. */
  public int errno() {
    return errno;
  }

  /** The name of the failed call, for example {@code "bind"}. */
  public String call() {
    return call;
  }

  /** errno's symbolic name, for example {@code "EADDRINUSE"}. */
  public String errnoName() {
    return Errno.name(errno);
  }
}
