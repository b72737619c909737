package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What orderd does with each request. Thread-safe. Orders are committed in batches (group commit):
 * whichever connection thread gets the writer lock takes every order waiting at that moment (up to
 * {@link #MAX_BATCH}) and handles them in one transaction, with one positiond round trip and one
 * fsync on each side. Across worker processes the batches are serialised by a lock file ({@code
 * flock}, so a waiting worker is woken by the kernel instead of polling in SQLite's busy handler)
 * and SQLite's write lock. The limit check and the update are therefore one atomic step for all
 * workers.
 *
 * <p>A batch: take the locks; {@code BEGIN IMMEDIATE}; {@code first = max(id) + 1}; ask positiond
 * to {@code APPLY first limit SYMBOL:delta,…}, which drops any entry at or above {@code first}
 * (left by a transaction that never committed), checks each order against the limit in turn, gives
 * the accepted ones the ids {@code first, first+1, …} and records them durably; insert the accepted
 * orders with those ids; {@code COMMIT}; only then acknowledge. A crash anywhere before the commit
 * leaves entries in positiond for ids that the next batch hands out again, and that batch's APPLY
 * drops them; a query drops them too ({@code POSITION symbol committedMax}). So positiond always
 * converges to exactly the committed orders, and an acknowledged order is always committed.
 *
 * <p>An order with a key ({@code KEY k}) is looked up by it inside the batch's transaction: one
 * already committed is answered with its id and not applied again, so a client whose connection
 * broke before the reply came (orderd killed, or replaced during an upgrade) can send it again
 * without knowing whether the first attempt was committed.
 */
final class Engine {
  /** The most orders committed in one transaction. */
  static final int MAX_BATCH = 64;

  private final OrderStore store;
  private final PositiondClient positiond;
  private final Audit audit;
  private final long limit;
  private final FileChannel lockFile;
  private final ReentrantLock writer = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();

  /** Where accepted orders are reported, best effort. */
  interface Audit {
    void accepted(long id, Request.Order order);
  }

  private record Pending(Request.Order order, CompletableFuture<String> reply) {}

  Engine(OrderStore store, Path lockPath, PositiondClient positiond, Audit audit, long limit)
      throws IOException {
    this.store = store;
    this.positiond = positiond;
    this.audit = audit;
    this.limit = limit;
    this.lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** The reply line to {@code request}. Blocks (SQLite, positiond). */
  String handle(Request request) throws InterruptedException {
    return switch (request) {
      case Request.Order o -> order(o);
      case Request.Get g -> get(g.id());
      case Request.Position p -> position(p.symbol());
    };
  }

  private String order(Request.Order o) throws InterruptedException {
    Pending mine = new Pending(o, new CompletableFuture<>());
    waiting.add(mine);
    writer.lock();
    try {
      while (!mine.reply().isDone()) {
        commitWaiting();
      }
    } finally {
      writer.unlock();
    }
    return mine.reply().join();
  }

  /**
   * Takes the lock file, then the orders waiting by then (so those that arrived while another
   * worker held it join this batch), handles them in one transaction and completes every reply.
   * Called under the writer lock.
   */
  private void commitWaiting() throws InterruptedException {
    List<Pending> batch = new ArrayList<>();
    String failure = "REJECTED internal error";
    boolean committed = false;
    long[] ids = new long[MAX_BATCH];
    String[] answers = new String[MAX_BATCH];
    try {
      FileLock held = lockFile.lock();
      for (Pending p = waiting.poll(); p != null; ) {
        batch.add(p);
        p = batch.size() < MAX_BATCH ? waiting.poll() : null;
      }
      try {
        store.begin();
        List<Integer> fresh = new ArrayList<>(); // the orders not stored before, in batch order
        int[] sameKeyAs = new int[batch.size()]; // index of an earlier order with its key, or -1
        java.util.Map<String, Integer> keys = new java.util.HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
          Request.Order o = batch.get(i).order();
          sameKeyAs[i] = -1;
          ids[i] = -1;
          String key = o.key();
          if (key == null) {
            fresh.add(i);
            continue;
          }
          Optional<OrderStore.Stored> stored = store.byKey(key);
          if (stored.isPresent()) { // sent again after its reply was lost
            answers[i] = againAnswer(key, o, stored.get().id(), stored.get().order());
          } else if (keys.containsKey(key)) {
            sameKeyAs[i] = keys.get(key);
          } else {
            keys.put(key, i);
            fresh.add(i);
          }
        }
        if (!fresh.isEmpty()) {
          long first = store.maxId() + 1;
          StringBuilder request = new StringBuilder("APPLY " + first + " " + limit + " ");
          for (int j = 0; j < fresh.size(); j++) {
            Request.Order o = batch.get(fresh.get(j)).order();
            request.append(j == 0 ? "" : ",").append(o.symbol()).append(':').append(o.delta());
          }
          String reply = positiond.call(request.toString());
          String[] w = reply.split(" ", -1);
          if (!w[0].equals("APPLIED") || w.length != fresh.size() + 1) {
            failure = "REJECTED positiond answered '" + reply + "'";
            return;
          }
          for (int j = 0; j < fresh.size(); j++) {
            int i = fresh.get(j);
            Request.Order o = batch.get(i).order();
            String[] r = w[j + 1].split(":", -1);
            if (r[0].equals("-")) {
              answers[i] = limitReason(o, r[1]);
            } else {
              ids[i] = Long.parseLong(r[0]);
              store.insert(ids[i], o);
              answers[i] = "ACCEPTED " + ids[i];
            }
          }
        }
        for (int i = 0; i < batch.size(); i++) {
          int earlier = sameKeyAs[i];
          if (earlier >= 0) { // the same key twice in one batch: the second is the first again
            Request.Order o = batch.get(i).order();
            Request.Order e = batch.get(earlier).order();
            answers[i] =
                ids[earlier] > 0
                    ? againAnswer(java.util.Objects.requireNonNull(o.key()), o, ids[earlier], e)
                    : answers[earlier];
          }
        }
        store.commit();
        committed = true;
      } finally {
        if (!committed) {
          store.rollbackQuietly();
        }
        held.release();
      }
    } catch (PositiondClient.Unavailable e) {
      failure = "REJECTED positiond unavailable; the order was not stored, send it again";
    } catch (SQLException | IOException | RuntimeException e) {
      failure = "REJECTED storage error: " + oneLine(e.getMessage());
    } finally {
      if (batch.isEmpty()) { // the lock file failed: fail what waits rather than spin
        for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
          batch.add(p);
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).reply().complete(committed ? answers[i] : failure);
      }
    }
    for (int i = 0; committed && i < batch.size(); i++) {
      if (ids[i] > 0) {
        audit.accepted(ids[i], batch.get(i).order());
      }
    }
  }

  /** The answer to an order sent again with the key of an order stored as {@code id}. */
  private static String againAnswer(String key, Request.Order o, long id, Request.Order stored) {
    if (o.sameAs(stored)) {
      return "ACCEPTED " + id;
    }
    return "REJECTED key "
        + key
        + " was used for another order ("
        + id
        + ": "
        + stored.side()
        + " "
        + stored.symbol()
        + " "
        + stored.quantity()
        + " "
        + stored.price().toPlainString()
        + "); use a new key for a new order";
  }

  private String limitReason(Request.Order o, String position) {
    return "REJECTED position limit: "
        + o.symbol()
        + " is at "
        + position
        + ", and "
        + (o.delta() > 0 ? "+" : "")
        + o.delta()
        + " would pass the limit of "
        + limit;
  }

  private String get(long id) {
    try {
      Optional<Request.Order> o = store.get(id);
      return o.map(
              x ->
                  "ORDER "
                      + id
                      + " "
                      + x.side()
                      + " "
                      + x.symbol()
                      + " "
                      + x.quantity()
                      + " "
                      + x.price().toPlainString())
          .orElse("UNKNOWN " + id);
    } catch (SQLException e) {
      return "ERROR storage error: " + oneLine(e.getMessage());
    }
  }

  private String position(String symbol) throws InterruptedException {
    writer.lock();
    try {
      FileLock held = lockFile.lock();
      try {
        store.begin(); // no order commits meanwhile, so committedMax is exact
        String answer = positiond.call("POSITION " + symbol + " " + store.maxId());
        return answer.startsWith("POSITION ")
            ? answer
            : "ERROR positiond answered '" + answer + "'";
      } finally {
        store.rollbackQuietly();
        held.release();
      }
    } catch (PositiondClient.Unavailable e) {
      return "ERROR positiond unavailable; ask again";
    } catch (SQLException | IOException e) {
      return "ERROR storage error: " + oneLine(e.getMessage());
    } finally {
      writer.unlock();
    }
  }

  private static String oneLine(@org.jspecify.annotations.Nullable String s) {
    return s == null ? "(no message)" : s.replace('\n', ' ');
  }
}
