package dev.heddle.examples.orders.positiond;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Net positions per symbol, made of order entries {@code (id, symbol, delta)}, kept durably in an
 * append-only log ({@code positions.log}: one line per change, fsynced before the caller answers; a
 * torn last line from a crash is cut off when the log is opened).
 *
 * <p>The caller (orderd) applies order {@code id} under its database's write lock, so when {@code
 * APPLY id} arrives every lower id is committed ("final") and any entry at or above {@code id} came
 * from a transaction that never committed: it is dropped first. Only entries not yet final are kept
 * by id (a handful); final ones are folded into the totals. When the log grows past {@code
 * compactBytes} it is rewritten as totals plus the pending entries (temp file, fsync, rename).
 *
 * <p>Not thread-safe: the server calls it under one lock.
 */
final class PositionBook implements AutoCloseable {
  private record Entry(String symbol, long delta) {}

  private final Path log;
  private final long compactBytes;
  private final Map<String, Long> positions = new HashMap<>();
  private final TreeMap<Long, Entry> pending = new TreeMap<>();
  private final FileChannel lockFile;
  private FileChannel out;

  private PositionBook(Path log, long compactBytes) throws IOException {
    this.log = log;
    this.compactBytes = compactBytes;
    this.lockFile =
        FileChannel.open(
            log.resolveSibling("positiond.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockFile.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      l = null;
    }
    if (l == null) {
      lockFile.close();
      throw new IOException("another positiond is using " + log.getParent());
    }
    this.out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** Opens (or creates) the book in {@code workdir}, replaying its log. */
  static PositionBook open(Path workdir, long compactBytes) throws IOException {
    Files.createDirectories(workdir);
    PositionBook b = new PositionBook(workdir.resolve("positions.log"), compactBytes);
    b.replay();
    return b;
  }

  private void replay() throws IOException {
    byte[] bytes = Files.readAllBytes(log);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--; // a torn last line: the write that never completed was never acknowledged
    }
    String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      String[] w = line.split(" ", -1);
      switch (w[0]) {
        case "A" -> add(Long.parseLong(w[1]), w[2], Long.parseLong(w[3]));
        case "T" -> dropFrom(Long.parseLong(w[1]) + 1);
        case "S" -> positions.put(w[1], Long.parseLong(w[2]));
        default -> throw new IOException("bad line in " + log + ": " + line);
      }
    }
    out.truncate(end);
    out.position(end);
  }

  /**
   * Applies order {@code id}: drops entries at or above it, then adds {@code delta} to {@code
   * symbol} if the result stays within {@code ±limit}. Durable before it returns.
   *
   * @return whether it was applied
   */
  boolean apply(long id, String symbol, long delta, long limit) throws IOException {
    boolean dropped = dropFrom(id);
    long now = position(symbol);
    if (Math.abs(now + delta) > limit) {
      if (dropped) {
        append("T " + (id - 1) + "\n");
      }
      return false;
    }
    add(id, symbol, delta);
    append("A " + id + " " + symbol + " " + delta + "\n");
    return true;
  }

  /** The position of {@code symbol} once entries above {@code committedMax} are dropped. */
  long position(String symbol, long committedMax) throws IOException {
    if (dropFrom(committedMax + 1)) {
      append("T " + committedMax + "\n");
    }
    return position(symbol);
  }

  /** The position of {@code symbol}, pending entries included. */
  long position(String symbol) {
    return positions.getOrDefault(symbol, 0L);
  }

  private void add(long id, String symbol, long delta) {
    dropFrom(id);
    pending.headMap(id).clear(); // every lower id is committed: final
    pending.put(id, new Entry(symbol, delta));
    positions.merge(symbol, delta, Long::sum);
  }

  private boolean dropFrom(long id) {
    var doomed = pending.tailMap(id, true);
    if (doomed.isEmpty()) {
      return false;
    }
    doomed.values().forEach(e -> positions.merge(e.symbol(), -e.delta(), Long::sum));
    doomed.clear();
    return true;
  }

  private void append(String line) throws IOException {
    ByteBuffer b = StandardCharsets.UTF_8.encode(line);
    while (b.hasRemaining()) {
      out.write(b);
    }
    out.force(false);
    if (out.position() > compactBytes) {
      compact();
    }
  }

  /** Rewrites the log as the final totals plus the pending entries; atomic (rename). */
  private void compact() throws IOException {
    Map<String, Long> base = new HashMap<>(positions);
    pending.values().forEach(e -> base.merge(e.symbol(), -e.delta(), Long::sum));
    StringBuilder s = new StringBuilder();
    base.forEach((sym, n) -> s.append("S ").append(sym).append(' ').append(n).append('\n'));
    pending.forEach(
        (id, e) ->
            s.append("A ")
                .append(id)
                .append(' ')
                .append(e.symbol())
                .append(' ')
                .append(e.delta())
                .append('\n'));
    Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
    try (FileChannel t =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = StandardCharsets.UTF_8.encode(s.toString());
      while (b.hasRemaining()) {
        t.write(b);
      }
      t.force(true);
    }
    Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(log.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    out.close();
    out = FileChannel.open(log, StandardOpenOption.WRITE);
    out.position(out.size());
  }

  @Override
  public void close() throws IOException {
    try (lockFile) {
      out.close();
    }
  }
}
