package dev.heddle.agent.internal.os;

import java.util.Locale;

/** Linux x86_64 signal numbers and their names. Never blocks. */
public final class Signals {
  public static final int HUP = 1;
  public static final int INT = 2;
  public static final int QUIT = 3;
  public static final int ABRT = 6;
  public static final int KILL = 9;
  public static final int USR1 = 10;
  public static final int SEGV = 11;
  public static final int USR2 = 12;
  public static final int PIPE = 13;
  public static final int ALRM = 14;
  public static final int TERM = 15;
  public static final int CHLD = 17;
  public static final int CONT = 18;
  public static final int STOP = 19;

  /** The kernel's first real-time signal (glibc reserves 32 and 33 for itself). */
  private static final int RTMIN = 34;

  private static final int RTMAX = 64;

  private static final String[] NAMES = {
    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
    "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
  };

  private Signals() {}

  /**
   * {@code "SIGTERM"} for 15, {@code "SIGRTMIN+2"} for 36, {@code "signal 99"} when out of range.
   */
  public static String name(int signal) {
    if (signal > 0 && signal < NAMES.length) {
      return "SIG" + NAMES[signal];
    }
    if (signal >= RTMIN && signal <= RTMAX) {
      return signal == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signal - RTMIN);
    }
    return "signal " + signal;
  }

  /**
   * Parses {@code "TERM"}, {@code "SIGTERM"}, {@code "sigterm"} or {@code "15"}.
   *
   * @throws IllegalArgumentException naming the text when it is no signal
   */
  public static int parse(String nameOrNumber) {
    String text = nameOrNumber.strip().toUpperCase(Locale.ROOT);
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      int number = text.length() > 3 ? -1 : Integer.parseInt(text);
      if (number >= 1 && number <= RTMAX && number != 32 && number != 33) {
        return number;
      }
    } else {
      String bare = text.startsWith("SIG") ? text.substring(3) : text;
      for (int i = 1; i < NAMES.length; i++) {
        if (NAMES[i].equals(bare)) {
          return i;
        }
      }
      if (bare.equals("RTMIN")) {
        return RTMIN;
      }
      if (bare.startsWith("RTMIN+")) {
        String offset = bare.substring(6);
        if (!offset.isEmpty()
            && offset.length() <= 2
            && offset.chars().allMatch(Character::isDigit)
            && RTMIN + Integer.parseInt(offset) <= RTMAX) {
          return RTMIN + Integer.parseInt(offset);
        }
      }
    }
    throw new IllegalArgumentException(
        "'"
            + nameOrNumber
            + "' is not a signal: use a name such as "
            + "TERM or SIGTERM, or a number from 1 to "
            + RTMAX
            + " (except 32 and 33)");
  }
}
