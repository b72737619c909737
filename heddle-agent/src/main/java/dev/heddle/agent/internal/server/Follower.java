package dev.heddle.agent.internal.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows one log file like {@code tail -F}: sends complete lines as they appear, in batches, and
 * starts again from the top when the file was rotated (it became shorter). Runs on its own virtual
 * thread and polls every {@value #POLL_MS} ms (JDK file reads only; nothing pins a carrier).
 */
final class Follower implements Runnable {
  static final int POLL_MS = 20;
  private static final int MAX_BATCH_BYTES = 256 * 1024;
  private final Path file;
  private final Consumer<List<String>> sink;
  private long offset;
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean stopped;

  Follower(Path file, long startOffset, Consumer<List<String>> sink) {
    this.file = file;
    this.offset = startOffset;
    this.sink = sink;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try {
      while (!stopped) {
        if (!poll()) {
          Thread.sleep(POLL_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads what is new; returns whether there was anything. */
  boolean poll() {
    try {
      if (!Files.exists(file)) {
        return false;
      }
      long size = Files.size(file);
      if (size < offset) {
        offset = 0; // rotated or truncated: follow the new file from its start
        partial.setLength(0);
      }
      if (size == offset) {
        return false;
      }
      int n = (int) Math.min(size - offset, MAX_BATCH_BYTES);
      byte[] bytes = new byte[n];
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        raf.seek(offset);
        raf.readFully(bytes);
      }
      offset += n;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      int from = 0;
      for (int i = partial.indexOf("\n"); i >= 0; i = partial.indexOf("\n", from)) {
        lines.add(partial.substring(from, i));
        from = i + 1;
      }
      partial.delete(0, from);
      if (!lines.isEmpty()) {
        sink.accept(lines);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
