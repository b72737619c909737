package dev.heddle.agent.internal.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per state directory: an exclusive lock on {@code agent.lock}, which also records the
 * holder's pid so the refusal can name it. The kernel drops the lock when the holder dies.
 */
public final class StateDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another live agent holds the directory. */
  public static final class BusyException extends IOException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message);
    }
  }

  public static StateDirLock acquire(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve("agent.lock");
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = ch.tryLock();
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      ch.close();
      throw new BusyException(
          "another agent (pid "
              + (holder.isEmpty() ? "unknown" : holder)
              + ") already owns the state directory "
              + stateDir
              + "; a second agent for it is refused. Stop that agent, or use another state"
              + " directory.");
    }
    ch.truncate(0);
    ch.write(
        java.nio.ByteBuffer.wrap(
            (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    ch.force(true);
    return new StateDirLock(ch, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
