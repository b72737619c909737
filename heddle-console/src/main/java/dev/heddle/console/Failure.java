package dev.heddle.console;

/**
 * A failure of a {@code heddle} command that the user must hear about, with the process's exit code
 * (1: the system said no or is not there; 2: bad usage).
 */
final class Failure extends Exception {
  private static final long serialVersionUID = 1L;
  final int code;

  Failure(int code, String message) {
    super(message);
    this.code = code;
  }
}
