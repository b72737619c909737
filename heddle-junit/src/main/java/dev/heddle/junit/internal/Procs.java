package dev.heddle.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks at processes through /proc, independently of the agent that started them. */
final class Procs {
  private Procs() {}

  /** A process as /proc shows it: pid, parent, start time (clock ticks since boot). */
  record Proc(long pid, long ppid, long startTime) {}

  /** Every live (non-zombie) process. */
  static List<Proc> all() {
    List<Proc> out = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          stat(Long.parseLong(name)).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e, e);
    }
    return out;
  }

  /** The process {@code pid}, when it exists and is not a zombie. */
  static Optional<Proc> stat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      if (f[0].equals("Z") || f[0].equals("X")) {
        return Optional.empty();
      }
      return Optional.of(new Proc(pid, Long.parseLong(f[1]), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the process {@code pid} that started at {@code startTime} is still alive. */
  static boolean alive(long pid, long startTime) {
    return stat(pid).map(p -> p.startTime() == startTime).orElse(false);
  }

  /** The live descendants of {@code ancestor} (not itself), parents before children. */
  static List<Proc> descendants(long ancestor) {
    Map<Long, List<Proc>> children = new HashMap<>();
    for (Proc p : all()) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    }
    List<Proc> out = new ArrayList<>();
    List<Long> todo = new ArrayList<>(List.of(ancestor));
    while (!todo.isEmpty()) {
      for (Proc c : children.getOrDefault(todo.removeFirst(), List.of())) {
        out.add(c);
        todo.add(c.pid());
      }
    }
    return out;
  }

  /**
   * The command line for messages: arguments separated by spaces, at most 200 characters. A process
   * still in the agent's {@code sh -c '… exec "$0" "$@"' program args} trampoline shows as the
   * program it is about to run.
   */
  static String cmdline(long pid) {
    String c;
    try {
      List<String> argv =
          List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0", -1));
      if (argv.size() >= 4
          && argv.get(1).equals("-c")
          && argv.get(2).endsWith("exec \"$0\" \"$@\"")) {
        argv = argv.subList(3, argv.size());
      }
      c = String.join(" ", argv).strip();
    } catch (IOException e) {
      return "?";
    }
    return c.length() > 200 ? c.substring(0, 200) + "…" : c;
  }

  /** The whole command line, arguments separated by spaces ("?" when it has gone). */
  static String fullCmdline(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * The service a process was started as: the agent points its stdout at {@code
   * logs/<service>/<incarnation>/stdout.log}.
   */
  static Optional<String> service(long pid) {
    try {
      Path out = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1"));
      if (out.getNameCount() >= 4
          && out.getFileName().toString().equals("stdout.log")
          && out.getName(out.getNameCount() - 4).toString().equals("logs")) {
        return Optional.of(out.getName(out.getNameCount() - 3).toString());
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read
    }
    return Optional.empty();
  }
}
