package dev.heddle.agent.internal.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Service output lives in files the service writes directly (never pipes): {@code
 * logs/<service>/<incarnation>/stdout.log} and {@code stderr.log}. This class reads their tails and
 * rotates them by size: {@code stdout.log.1} is the newest rotated file, up to {@code keep} files.
 */
final class LogFiles {
  private static final int CHUNK = 64 * 1024;

  private LogFiles() {}

  /**
   * The last {@code lines} complete or partial lines of the log, oldest first, rotated files too. A
   * rotation that truncates a file while it is read makes the read come up short; then it reads
   * again (the rotated copy is complete by the time the file is truncated).
   */
  static List<String> tail(Path log, int lines) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return tailOnce(log, lines);
      } catch (java.io.EOFException shrankWhileRead) {
        if (attempt == 3) {
          throw shrankWhileRead;
        }
      }
    }
  }

  private static List<String> tailOnce(Path log, int lines) throws IOException {
    Deque<String> out = new ArrayDeque<>();
    for (int i = 0; i <= 9 && out.size() < lines; i++) {
      Path file = i == 0 ? log : rotated(log, i);
      if (!Files.exists(file)) {
        if (i == 0) {
          continue;
        }
        break;
      }
      List<String> got = tailOf(file, lines - out.size());
      for (int j = got.size() - 1; j >= 0; j--) {
        out.addFirst(got.get(j));
      }
    }
    return new ArrayList<>(out);
  }

  private static List<String> tailOf(Path file, int lines) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long start = end;
      byte[] bytes = new byte[0];
      while (start > 0) {
        start = Math.max(0, start - CHUNK);
        byte[] chunk = new byte[(int) (end - start)];
        raf.seek(start);
        raf.readFully(chunk);
        bytes = chunk;
        if (count(bytes, (byte) '\n') > lines) {
          break;
        }
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      List<String> all = new ArrayList<>(List.of(text.split("\n", -1)));
      if (!all.isEmpty() && all.getLast().isEmpty()) {
        all.removeLast();
      }
      if (start > 0 && !all.isEmpty()) {
        all.removeFirst(); // the first line is cut
      }
      return all.subList(Math.max(0, all.size() - lines), all.size());
    }
  }

  private static int count(byte[] bytes, byte b) {
    int n = 0;
    for (byte x : bytes) {
      if (x == b) {
        n++;
      }
    }
    return n;
  }

  static Path rotated(Path log, int index) {
    return log.resolveSibling(log.getFileName() + "." + index);
  }

  /**
   * Rotates {@code log} when it is larger than {@code maxBytes}: shifts {@code .1 … .keep-1} up,
   * copies the file to {@code .1} and truncates it. The writer has the file open with O_APPEND, so
   * it continues at the new end. Bytes written between the copy and the truncation are lost; at the
   * usual rotation sizes that window is a few microseconds.
   *
   * @return the file's size now: 0 after a rotation, or when it does not exist
   */
  static long rotateIfLarger(Path log, long maxBytes, int keep) throws IOException {
    long size;
    try {
      size = Files.size(log); // one stat; no separate exists() check
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    }
    if (size <= maxBytes) {
      return size;
    }
    Files.deleteIfExists(rotated(log, keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path from = rotated(log, i);
      if (Files.exists(from)) {
        Files.move(from, rotated(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.copy(log, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING);
    try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
      raf.setLength(0);
    }
    return 0;
  }
}
