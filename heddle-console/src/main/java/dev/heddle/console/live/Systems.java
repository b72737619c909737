package dev.heddle.console.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where running systems register their console, one file {@code <system>-<pid>.json} each (pid,
 * address, port, the token file; never the token), so that {@code heddle status} and the other
 * commands find them. The directory is {@code $HEDDLE_SYSTEMS}, else {@code
 * $XDG_STATE_HOME/heddle/systems}, else {@code ~/.local/state/heddle/systems}.
 */
public final class Systems {
  private Systems() {}

  /** The default directory of registrations. */
  public static Path dir() {
    String explicit = System.getenv("HEDDLE_SYSTEMS");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path state =
        xdg != null && !xdg.isEmpty()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return state.resolve("heddle").resolve("systems");
  }

  static Path register(Path dir, String system, String json) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(system + "-" + ProcessHandle.current().pid() + ".json");
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.writeString(tmp, json + "\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
