package dev.heddle.sim.internal.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The store directory as Maelstrom lays it out: {@code store/<test>/<timestamp>/}, with {@code
 * store/latest} and {@code store/<test>/latest} pointing at the newest run.
 */
public final class Store {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSZ");

  private Store() {}

  /** Creates a new run directory (with node-logs/) and points the latest links at it. */
  public static Path newRun(Path store, String test) throws IOException {
    Path testDir = store.resolve(test);
    Files.createDirectories(testDir);
    String stamp = STAMP.format(ZonedDateTime.now(ZoneId.systemDefault())); // local, as Maelstrom
    Path dir = testDir.resolve(stamp);
    for (int i = 1; ; i++) {
      try {
        Files.createDirectory(dir);
        break;
      } catch (FileAlreadyExistsException e) {
        dir = testDir.resolve(stamp + "-" + i);
      }
    }
    Files.createDirectories(dir.resolve("node-logs"));
    link(testDir.resolve("latest"), Path.of(dir.getFileName().toString()));
    link(store.resolve("latest"), Path.of(test, dir.getFileName().toString()));
    return dir;
  }

  private static void link(Path link, Path target) throws IOException {
    Path tmp =
        link.resolveSibling(".latest-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Files.createSymbolicLink(tmp, target);
    Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
