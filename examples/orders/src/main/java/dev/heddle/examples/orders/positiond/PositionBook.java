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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Net positions per symbol, made of order entries {@code (id, symbol, delta)}, kept durably in an
 * append-only log ({@code positions.log}: one line per change, fsynced before the caller answers; a
 * torn last line from a crash is cut off when the log is opened).
 *
 * <p>The caller (orderd) applies a batch of orders from id {@code firstId} on under its database's
 * write lock, so when the batch arrives every lower id is committed ("final") and any entry at or
 * above {@code firstId} came from a transaction that never committed: it is dropped first. The log
 * says so with a {@code B firstId} line before the batch's {@code A id symbol delta} lines. Only
 * entries not yet final are kept by id (a handful); final ones are folded into the totals. When the
 * log grows past {@code compactBytes} it is rewritten as totals plus the pending entries (temp
 * file, fsync, rename).
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
        case "B" -> {
          long first = Long.parseLong(w[1]);
          dropFrom(first);
          pending.headMap(first).clear();
        }
        case "A" -> add(Long.parseLong(w[1]), w[2], Long.parseLong(w[3]));
        case "T" -> dropFrom(Long.parseLong(w[1]) + 1);
        case "S" -> positions.put(w[1], Long.parseLong(w[2]));
        default -> throw new IOException("bad line in " + log + ": " + line);
      }
    }
    out.truncate(end);
    out.position(end);
  }

  /** One order's change to a position. */
  record Change(String symbol, long delta) {}

  /**
   * Applies a batch of orders: drops entries at or above {@code firstId} (never committed), takes
   * every lower id as final, then gives each change that keeps its symbol within {@code ±limit} the
   * next id from {@code firstId} on, in order; a change past the limit gets no id. Durable (one
   * fsync) before it returns.
   *
   * @return for each change, its id, or -1 when it was refused
   */
  long[] apply(long firstId, long limit, List<Change> changes) throws IOException {
    StringBuilder log = new StringBuilder();
    log.append("B ").append(firstId).append('\n');
    boolean changed = dropFrom(firstId);
    pending.headMap(firstId).clear(); // every lower id is committed: final
    long[] ids = new long[changes.size()];
    long id = firstId;
    for (int i = 0; i < ids.length; i++) {
      Change c = changes.get(i);
      if (Math.abs(position(c.symbol()) + c.delta()) > limit) {
        ids[i] = -1;
        continue;
      }
      add(id, c.symbol(), c.delta());
      log.append("A ").append(id).append(' ').append(c.symbol()).append(' ').append(c.delta());
      log.append('\n');
      ids[i] = id++;
      changed = true;
    }
    if (changed) {
      append(log.toString());
    }
    return ids;
  }

  /** {@link #apply(long, long, List)} for one order: whether it got id {@code id}. */
  boolean apply(long id, String symbol, long delta, long limit) throws IOException {
    return apply(id, limit, List.of(new Change(symbol, delta)))[0] == id;
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
