package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Makes sqlite-jdbc load its native library from one file under a directory, written once, instead
 * of extracting a fresh 1 MB copy per process: sqlite-jdbc deletes its copy on a clean exit only,
 * so every kill -9 of orderd would leave one behind. Must run before the first JDBC call.
 */
final class SqliteNative {
  private SqliteNative() {}

  /**
   * Writes the library for this OS into {@code dir} (named by its content hash, written to a temp
   * file and renamed, so concurrent workers agree) unless it is there, and points sqlite-jdbc at
   * it. When the jar has no library for this OS it does nothing and sqlite-jdbc finds its own way.
   */
  static void useLibraryIn(Path dir) throws IOException {
    String resource =
        "/org/sqlite/native/"
            + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
            + "/libsqlitejdbc.so";
    byte[] lib;
    try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
      if (in == null) {
        return;
      }
      lib = in.readAllBytes();
    }
    String name = "libsqlitejdbc-" + sha256(lib).substring(0, 16) + ".so";
    Path target = dir.resolve(name);
    if (!Files.exists(target)) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      Files.write(tmp, lib);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.setProperty("org.sqlite.lib.path", dir.toString());
    System.setProperty("org.sqlite.lib.name", name);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
