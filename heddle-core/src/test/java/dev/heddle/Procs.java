package dev.heddle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test helpers that look at processes through /proc, independently of Heddle. */
final class Procs {
  private Procs() {}

  /** Whether {@code pid} exists and is not a zombie. */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String afterComm = stat.substring(stat.lastIndexOf(')') + 2);
      return afterComm.charAt(0) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** /proc/PID/stat field 22: the start time in clock ticks since boot. */
  static long startTime(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return Long.parseLong(after[19]); // field 22; the fields after ')' start at field 3
  }

  /**
   * Pids of live processes whose program (argv[0]) contains {@code marker}. Only argv[0] counts: a
   * {@code setsid MARKED} process has the marker in its arguments before it has left the session.
   */
  static List<Long> withMarker(String marker) {
    List<Long> out = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = Files.readString(d.resolve("cmdline"));
          int end = cmd.indexOf('\0');
          String argv0 = end < 0 ? cmd : cmd.substring(0, end);
          if (argv0.contains(marker) && alive(Long.parseLong(name))) {
            out.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
    return out;
  }

  /**
   * A copy of sleep(1) whose file name is {@code marker}, so that exactly the processes running it
   * carry the marker in their command line (dash has no {@code exec -a}). Start it through an
   * environment variable so the parent shell's command line does not contain the marker.
   */
  static Path markedSleep(Path dir, String marker) throws IOException {
    Path copy = dir.resolve(marker);
    Files.copy(Path.of("/bin/sleep"), copy);
    copy.toFile().setExecutable(true);
    return copy;
  }

  /** Polls {@code condition} every 10 ms for up to {@code millis}; returns whether it held. */
  static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
