package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * heddle-exec, the spawn trampoline that joins the service's cgroup and sets {@code LISTEN_PID}
 * before it execs the program under the same pid (source: {@code src/main/c/heddle-exec.c}). It
 * replaces {@code sh -c}, which cost about 6 ms of CPU per spawn. It exists for x86_64 Linux only;
 * elsewhere the agent keeps the sh trampoline.
 */
final class ExecHelper {
  private static final String RESOURCE = "heddle-exec-x86_64";

  private ExecHelper() {}

  /**
   * Writes the helper into dir (created if needed) as an executable file, atomically (a temporary
   * file renamed into place). Blocks briefly on file I/O.
   *
   * @return its path, or empty when this CPU has no helper
   * @throws IOException when it cannot be written
   */
  static Optional<Path> install(Path dir) throws IOException {
    if (!"amd64".equals(System.getProperty("os.arch"))) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = ExecHelper.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Optional.empty();
      }
      bytes = in.readAllBytes();
    }
    Files.createDirectories(dir);
    Path target = dir.resolve("heddle-exec");
    Path temp =
        Files.createTempFile(
            dir,
            "heddle-exec",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try {
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return Optional.of(target);
  }
}
