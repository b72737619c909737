package dev.heddle.components;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test directories for servers that run as their own OS user. */
final class TestDirs {
  private TestDirs() {}

  /**
   * Lets another OS user (postgres, mosquitto: the servers drop to them when the tests run as root)
   * reach data directories under {@code dir}, which @HeddleTest makes private (mode 700) under
   * /tmp: every directory from {@code dir} up to /tmp becomes searchable (mode 711).
   */
  static void searchable(Path dir) throws IOException {
    for (Path d = dir; d != null && !d.equals(Path.of("/tmp")); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
    }
  }
}
