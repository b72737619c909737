package dev.heddle.sim.internal.client;

import java.util.Map;

/** Maelstrom's error code table: each code's name and whether it is definite. */
public final class ErrorCodes {
  private record Code(String name, boolean definite) {}

  private static final Map<Integer, Code> CODES =
      Map.ofEntries(
          Map.entry(0, new Code("timeout", false)),
          Map.entry(1, new Code("node-not-found", true)),
          Map.entry(10, new Code("not-supported", true)),
          Map.entry(11, new Code("temporarily-unavailable", true)),
          Map.entry(12, new Code("malformed-request", true)),
          Map.entry(13, new Code("crash", false)),
          Map.entry(14, new Code("abort", true)),
          Map.entry(20, new Code("key-does-not-exist", true)),
          Map.entry(21, new Code("key-already-exists", true)),
          Map.entry(22, new Code("precondition-failed", true)),
          Map.entry(30, new Code("txn-conflict", true)));

  private ErrorCodes() {}

  /** Returns the code's name, or {@code error-<code>} for a code not in the table. */
  public static String name(int code) {
    Code c = CODES.get(code);
    return c == null ? "error-" + code : c.name();
  }

  /** Returns whether the code is definite; custom and unknown codes are indefinite. */
  public static boolean definite(int code) {
    Code c = CODES.get(code);
    return c != null && c.definite();
  }
}
