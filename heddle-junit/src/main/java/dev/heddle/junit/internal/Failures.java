package dev.heddle.junit.internal;

import dev.heddle.HeddleException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;

/** The text of a test failed by its scope. */
final class Failures {
  private Failures() {}

  /**
   * What failed the scope of test {@code test}: the service and host when known, the code, and the
   * failure's own message (for a service, its exit status and the last lines of its stderr).
   */
  static String describe(String test, Throwable failure) {
    StringBuilder b =
        new StringBuilder("Heddle: the scope of test ").append(test).append(" failed");
    if (failure instanceof HeddleException h) {
      if (h.service() != null) {
        b.append(": service '").append(h.service()).append("' on host '").append(h.host());
        b.append('\'');
      }
      b.append(" [").append(h.code()).append("]\n").append(h.getMessage());
    } else {
      b.append(":\n").append(failure);
    }
    for (Throwable s : failure.getSuppressed()) {
      b.append("\nand then: ").append(s.getMessage() == null ? s.toString() : s.getMessage());
    }
    return b.toString();
  }

  /** Whether {@code e} is how a blocked call reacts to the interrupt this harness sent. */
  static boolean isInterruption(Throwable e) {
    return e instanceof InterruptedException
        || e instanceof ClosedByInterruptException
        || e instanceof InterruptedIOException
        || (e instanceof java.net.SocketException && isClosedByInterrupt(e));
  }

  private static boolean isClosedByInterrupt(Throwable e) {
    String m = e.getMessage();
    return m != null && m.contains("Closed by interrupt");
  }
}
