package dev.heddle.examples.iot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test directories that Mosquitto (which drops to its own OS user as root) can reach. */
final class TestDirs {
  private TestDirs() {}

  /** Makes {@code dir} and every directory above it up to /tmp searchable (mode 711). */
  static Path searchable(Path dir) throws IOException {
    for (Path d = dir; d != null && !d.equals(Path.of("/tmp")); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
    }
    return dir;
  }
}
