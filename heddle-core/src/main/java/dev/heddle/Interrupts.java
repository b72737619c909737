package dev.heddle;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/** How scopes treat interrupts: what counts as a cancellation, and joining without giving up. */
final class Interrupts {
  private Interrupts() {}

  /** Whether {@code e} is how a blocked call reacts to an interrupt, i.e. a cancellation. */
  static boolean isCancellation(Throwable e) {
    return e instanceof InterruptedException
        || e instanceof ClosedByInterruptException
        || e instanceof InterruptedIOException;
  }

  /** Waits for {@code t} to end even if interrupted meanwhile; keeps the interrupt flag. */
  static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
