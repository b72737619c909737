package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields Heddle reads from {@code /proc/<pid>/stat}. The file is parsed after the LAST ')'
 * since the command name (field 2) may contain spaces and parentheses. Reading never blocks for
 * long.
 *
 * @param state field 3: R, S, D, Z (zombie), T, X ...
 * @param ppid field 4
 * @param pgrp field 5
 * @param session field 6
 * @param startTime field 22, clock ticks since boot
 */
record ProcStat(int pid, char state, int ppid, int pgrp, int session, long startTime) {

  /** The stat of pid, or empty when no such process exists (or it vanished while we read). */
  static Optional<ProcStat> read(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    String text;
    try {
      text =
          new String(
              Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat")),
              StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return Optional.empty(); // gone (NoSuchFileException, or ESRCH while reading)
    }
    return parse(pid, text);
  }

  static Optional<ProcStat> parse(int pid, String text) {
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] f = text.substring(close + 1).strip().split(" ", -1);
    // f[0] is field 3, so field n is f[n - 3].
    if (f.length < 20 || f[0].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProcStat(
              pid,
              f[0].charAt(0),
              Integer.parseInt(f[1]),
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              Long.parseLong(f[19])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean zombie() {
    return state == 'Z' || state == 'X';
  }
}
