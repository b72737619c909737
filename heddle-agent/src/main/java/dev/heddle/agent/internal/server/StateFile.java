package dev.heddle.agent.internal.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code state.json}: what this agent holds (its identity, sockets, processes with their identities
 * and log paths), written atomically (temp file, fsync, rename) after every change, so a later
 * controller or agent can find and verify everything without trusting a pid alone.
 */
final class StateFile {
  private final Path path;
  private final Path temp;

  StateFile(Path stateDir) {
    this.path = stateDir.resolve("state.json");
    this.temp = stateDir.resolve("state.json.tmp");
  }

  Path path() {
    return path;
  }

  /**
   * Writes the state; callers serialise calls (the agent writes it from one place under a lock).
   */
  void write(Map<String, Object> state) throws IOException {
    byte[] bytes = Json.write(state).getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void delete() {
    try {
      Files.deleteIfExists(path);
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      AgentLog.warn("could not remove " + path, e);
    }
  }
}
