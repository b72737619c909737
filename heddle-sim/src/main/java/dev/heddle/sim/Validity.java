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
    return ordinal();
  }

  /** Combines two verdicts as Jepsen's {@code merge-valid}: invalid wins, then unknown. */
  public Validity and(Validity other) {
    return values()[Math.max(ordinal(), other.ordinal())];
  }

  /** Returns {@code VALID} for true and {@code INVALID} for false. */
  public static Validity of(boolean valid) {
    return valid ? VALID : INVALID;
  }
}
