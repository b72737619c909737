package dev.heddle.sim;

/**
 * The verdict of a checker or of a whole run, as Maelstrom reports it in {@code :valid?}: {@code
 * true}, {@code false} or {@code :unknown}.
 */
public enum Validity {
  /** The history satisfies the checker. Exit code 0. */
  VALID,
  /** The history violates the checker. Exit code 1. */
  INVALID,
  /** The checker could not decide, for example because no operation succeeded. Exit code 2. */
  UNKNOWN;

  /** Returns the process exit code Maelstrom uses for this verdict: 0, 1 or 2. */
  public int exitCode() {
    return switch (this) {
      case VALID -> 0;
      case INVALID -> 1;
      case UNKNOWN -> 2;
    };
  }

  /** Combines two verdicts as Jepsen's {@code merge-valid}: invalid wins, then unknown. */
  public Validity and(Validity other) {
    if (this == INVALID || other == INVALID) {
      return INVALID;
    }
    if (this == UNKNOWN || other == UNKNOWN) {
      return UNKNOWN;
    }
    return VALID;
  }

  /** Returns {@code VALID} for true and {@code INVALID} for false. */
  public static Validity of(boolean valid) {
    return valid ? VALID : INVALID;
  }
}
