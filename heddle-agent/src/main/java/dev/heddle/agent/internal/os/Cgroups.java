package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2 containment: one group per service incarnation, under {@code <cgroup2
 * mount>/heddle/<agentId>}. Only JDK file I/O, so every method is fine on virtual threads; only
 * {@link #awaitEmpty} waits. Thread-safe (the kernel serialises cgroupfs writes). The agent owns
 * the base directory and removes it with {@link #removeBase()}.
 */
public final class Cgroups {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final long POLL_MILLIS = 2;

  /** Whether cgroups can be used here, and if not, why. */
  public sealed interface Availability {
    record Usable(Cgroups cgroups) implements Availability {}

    record Unavailable(String reason) implements Availability {}
  }

  private final Path base;

  private Cgroups(Path base) {
    this.base = base;
  }

  /**
   * Finds the cgroup2 mount in /proc/self/mountinfo and creates {@code heddle/<agentId>} under it.
   * Never throws: every problem becomes an {@link Availability.Unavailable} with the reason (no
   * cgroup2 mounted; not permitted, which needs root or a delegated subtree; no cgroup.kill, which
   * needs Linux 5.14). agentId is sanitised like {@link #create}.
   */
  public static Availability detect(String agentId) {
    Optional<Path> mount = cgroup2Mount();
    if (mount.isEmpty()) {
      return new Availability.Unavailable(
          "no cgroup2 filesystem is mounted (none in " + MOUNTINFO + ")");
    }
    Path heddle = mount.get().resolve("heddle");
    Path base = heddle.resolve(sanitize(agentId));
    try {
      Files.createDirectories(base);
    } catch (AccessDeniedException e) {
      return new Availability.Unavailable(
          "not permitted to create "
              + base
              + " on the cgroup2 mount "
              + mount.get()
              + ": needs root or a delegated subtree");
    } catch (IOException e) {
      return new Availability.Unavailable(
          "cannot create "
              + base
              + " on the cgroup2 mount "
              + mount.get()
              + " ("
              + e
              + "): needs root or a delegated subtree");
    }
    if (!Files.exists(base.resolve("cgroup.kill"))) {
      Cgroups unusable = new Cgroups(base);
      unusable.removeBase();
      return new Availability.Unavailable(
          "no cgroup.kill in " + base + ": the kernel is older than 5.14");
    }
    if (!Files.isWritable(base.resolve("cgroup.procs"))) {
      return new Availability.Unavailable(
          "cannot write " + base.resolve("cgroup.procs") + ": needs root or a delegated subtree");
    }
    return new Availability.Usable(new Cgroups(base));
  }

  /** The first cgroup2 mount point in /proc/self/mountinfo. */
  static Optional<Path> cgroup2Mount() {
    List<String> lines;
    try {
      lines = Files.readAllLines(MOUNTINFO);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
      int dash = line.indexOf(" - ");
      String[] before = line.substring(0, Math.max(dash, 0)).split(" ", -1);
      if (dash > 0 && before.length >= 5 && line.substring(dash + 3).startsWith("cgroup2 ")) {
        return Optional.of(Path.of(unescape(before[4])));
      }
    }
    return Optional.empty();
  }

  /** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Replaces every character outside [A-Za-z0-9._-] with '_'; "", "." and ".." become "_". */
  static String sanitize(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (clean.isEmpty()) {
      return "_";
    }
    return clean.equals(".") || clean.equals("..") ? clean.replace('.', '_') : clean;
  }

  /** This agent's directory, {@code <mount>/heddle/<agentId>}. */
  public Path base() {
    return base;
  }

  /**
   * Creates the group {@code base()/name} (name sanitised to [A-Za-z0-9._-]). An existing group is
   * reused only when it is empty.
   *
   * @throws IOException when the group exists with processes in it, or mkdir fails
   */
  public Path create(String name) throws IOException {
    Path group = base.resolve(sanitize(name));
    try {
      Files.createDirectory(group);
    } catch (FileAlreadyExistsException e) {
      if (populated(group)) {
        throw new FileAlreadyExistsException(
            group.toString(),
            null,
            "the cgroup already exists and still has processes " + procs(group));
      }
    }
    return group;
  }

  /** The pids in the group's cgroup.procs (not its child groups); empty when the group is gone. */
  public List<Integer> procs(Path group) {
    List<Integer> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Integer.parseInt(line.strip()));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return pids;
  }

  /** Whether any process is in the group or below it (cgroup.events "populated 1"). */
  public boolean populated(Path group) {
    try {
      return Files.readAllLines(group.resolve("cgroup.events")).contains("populated 1");
    } catch (IOException e) {
      return false; // gone
    }
  }

  /** SIGKILLs every process in the group and below, atomically against forks (cgroup.kill). */
  public void kill(Path group) throws IOException {
    Files.writeString(group.resolve("cgroup.kill"), "1");
  }

  /**
   * Polls cgroup.events every 2 ms until "populated 0" or the timeout. Blocks; fine on a virtual
   * thread (JDK file reads and sleeps only).
   *
   * @return whether the group emptied in time
   */
  public boolean awaitEmpty(Path group, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (populated(group)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /** rmdir the group; ignores a group that is gone or still busy (processes or child groups). */
  public void remove(Path group) {
    try {
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // EBUSY (processes or child groups left) or gone: nothing a caller could act on here
    }
  }

  /** rmdir the base directory, and {@code heddle/} when that is empty too; ignores busy ones. */
  public void removeBase() {
    remove(base);
    Path parent = base.getParent();
    if (parent != null) {
      remove(parent);
    }
  }
}
