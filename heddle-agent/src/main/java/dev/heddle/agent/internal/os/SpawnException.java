package dev.heddle.agent.internal.os;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Thrown by {@link Spawner} when a process cannot be started; the message says what was wrong. */
public final class SpawnException extends IOException {
  /** What went wrong. */
  public enum Kind {
    EMPTY_COMMAND,
    MISSING_EXECUTABLE,
    NOT_EXECUTABLE,
    CWD_MISSING,
    BAD_ENV,
    CLOSED_FD,
    LOG_NOT_WRITABLE,
    SPAWN_FAILED
  }

  private final Kind kind;

  public SpawnException(Kind kind, String message) {
    this(kind, message, null);
  }

  /** With the system call failure behind it (for {@link Kind#SPAWN_FAILED}). */
  public SpawnException(Kind kind, String message, @Nullable OsException cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The errno of the failed call behind a {@link Kind#SPAWN_FAILED}, or 0 when there is none. */
  public int errno() {
    return getCause() instanceof OsException os ? os.errno() : 0;
  }
}
