package dev.heddle.agent.internal.os;

import static dev.heddle.agent.internal.os.SpawnException.Kind.BAD_ENV;
import static dev.heddle.agent.internal.os.SpawnException.Kind.CLOSED_FD;
import static dev.heddle.agent.internal.os.SpawnException.Kind.CWD_MISSING;
import static dev.heddle.agent.internal.os.SpawnException.Kind.EMPTY_COMMAND;
import static dev.heddle.agent.internal.os.SpawnException.Kind.LOG_NOT_WRITABLE;
import static dev.heddle.agent.internal.os.SpawnException.Kind.SPAWN_FAILED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The checks {@link Spawner#spawn} makes before it spawns, each failing with a precise message. */
final class SpawnChecks {
  private static final int MAX_FD_NAME = 255;

  private SpawnChecks() {}

  static void command(String executable, List<String> args) throws SpawnException {
    if (executable.isBlank()) {
      throw new SpawnException(
          EMPTY_COMMAND,
          "The command is empty: give an executable, either a path"
              + " or a name to look up on the PATH.");
    }
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).indexOf('\0') >= 0) {
        throw new SpawnException(
            SPAWN_FAILED,
            "Argument "
                + (i + 1)
                + " of "
                + executable
                + " ("
                + printable(args.get(i))
                + ") contains a NUL character, which a C string cannot hold.");
      }
    }
  }

  static void cwd(Path cwd) throws SpawnException {
    if (!Files.exists(cwd)) {
      throw new SpawnException(CWD_MISSING, "The working directory " + cwd + " does not exist.");
    }
    if (!Files.isDirectory(cwd)) {
      throw new SpawnException(
          CWD_MISSING, "The working directory " + cwd + " is not a directory.");
    }
  }

  static void env(Map<String, String> env) throws SpawnException {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.isEmpty()) {
        throw new SpawnException(
            BAD_ENV,
            "An environment variable has an empty name (its value is '"
                + printable(e.getValue())
                + "').");
      }
      if (name.indexOf('=') >= 0) {
        throw new SpawnException(
            BAD_ENV,
            "Environment variable name '"
                + printable(name)
                + "' contains '=', which would split it into another name and value.");
      }
      if (name.indexOf('\0') >= 0) {
        throw new SpawnException(
            BAD_ENV,
            "Environment variable name '" + printable(name) + "' contains a NUL character.");
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new SpawnException(
            BAD_ENV, "The value of environment variable " + name + " contains a NUL character.");
      }
    }
  }

  static void fds(List<PassedFd> fds) throws SpawnException {
    for (int i = 0; i < fds.size(); i++) {
      PassedFd passed = fds.get(i);
      String which =
          "Passed fd "
              + passed.fd()
              + " (name '"
              + printable(passed.name())
              + "', fd "
              + (3 + i)
              + " in the child)";
      if (!Fds.isOpen(passed.fd())) {
        throw new SpawnException(CLOSED_FD, which + " is not open in the agent.");
      }
      String name = passed.name();
      if (name.length() > MAX_FD_NAME
          || name.chars().anyMatch(c -> c == ':' || c < 0x20 || c > 0x7e)) {
        throw new SpawnException(
            BAD_ENV,
            which
                + " has an invalid name for LISTEN_FDNAMES: names are"
                + " at most 255 printable ASCII characters without ':'.");
      }
    }
  }

  static void log(String stream, Path file) throws SpawnException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    String what = "Cannot write the " + stream + " log " + absolute + ": ";
    if (dir == null || !Files.isDirectory(dir)) {
      throw new SpawnException(
          LOG_NOT_WRITABLE, what + "its directory " + dir + " does not exist.");
    }
    if (!Files.isWritable(dir)) {
      throw new SpawnException(
          LOG_NOT_WRITABLE, what + "its directory " + dir + " is not writable.");
    }
    if (Files.isDirectory(absolute)) {
      throw new SpawnException(LOG_NOT_WRITABLE, what + "it is a directory.");
    }
    if (Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new SpawnException(LOG_NOT_WRITABLE, what + "the file is not writable.");
    }
  }

  static void cgroup(Path cgroupDir) throws SpawnException {
    if (!Files.isRegularFile(cgroupDir.resolve("cgroup.procs"))) {
      throw new SpawnException(
          SPAWN_FAILED,
          "The cgroup "
              + cgroupDir
              + " does not exist or is not"
              + " a cgroup v2 directory (no cgroup.procs); create it with Cgroups.create.");
    }
  }

  /** Text with control characters shown as \\uXXXX, for messages. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.chars()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }
}
