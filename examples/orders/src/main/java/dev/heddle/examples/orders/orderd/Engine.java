package dev.heddle.examples.orders.orderd;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What orderd does with each request. Thread-safe: orders and position queries run one at a time
 * per process (a lock), and across processes under SQLite's write lock, so the limit check and the
 * update are one atomic step for all workers.
 *
 * <p>An order: {@code BEGIN IMMEDIATE}; insert it (its id is the next rowid); ask positiond to
 * {@code APPLY id symbol delta limit}, which first drops any entry with an id at or above this one
 * (left by a transaction that never committed), then checks the limit and records the entry
 * durably; then {@code COMMIT} and only then acknowledge. A crash anywhere before the commit leaves
 * an entry in positiond for an id that the next order reuses, and that order's APPLY replaces it; a
 * query drops such entries too ({@code POSITION symbol committedMax}). So positiond always
 * converges to exactly the committed orders.
 */
final class Engine {
  private final OrderStore store;
  private final PositiondClient positiond;
  private final Audit audit;
  private final long limit;
  private final ReentrantLock writer = new ReentrantLock();

  /** Where accepted orders are reported, best effort. */
  interface Audit {
    void accepted(long id, Request.Order order);
  }

  Engine(OrderStore store, PositiondClient positiond, Audit audit, long limit) {
    this.store = store;
    this.positiond = positiond;
    this.audit = audit;
    this.limit = limit;
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
    long id;
    boolean committed = false;
    writer.lock();
    try {
      store.begin();
      id = store.insert(o);
      String answer =
          positiond.call("APPLY " + id + " " + o.symbol() + " " + o.delta() + " " + limit);
      String[] w = answer.split(" ", -1);
      if (w[0].equals("LIMIT") && w.length == 2) {
        return "REJECTED position limit: "
            + o.symbol()
            + " is at "
            + w[1]
            + ", and "
            + (o.delta() > 0 ? "+" : "")
            + o.delta()
            + " would pass the limit of "
            + limit;
      } else if (!w[0].equals("OK")) {
        return "REJECTED positiond answered '" + answer + "'";
      }
      store.commit();
      committed = true;
    } catch (PositiondClient.Unavailable e) {
      return "REJECTED positiond unavailable; the order was not stored, send it again";
    } catch (SQLException e) {
      return "REJECTED storage error: " + oneLine(e.getMessage());
    } finally {
      if (!committed) {
        store.rollbackQuietly();
      }
      writer.unlock();
    }
    audit.accepted(id, o);
    return "ACCEPTED " + id;
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
      store.begin(); // no order commits meanwhile, so committedMax is exact
      String answer = positiond.call("POSITION " + symbol + " " + store.maxId());
      return answer.startsWith("POSITION ") ? answer : "ERROR positiond answered '" + answer + "'";
    } catch (PositiondClient.Unavailable e) {
      return "ERROR positiond unavailable; ask again";
    } catch (SQLException e) {
      return "ERROR storage error: " + oneLine(e.getMessage());
    } finally {
      store.rollbackQuietly();
      writer.unlock();
    }
  }

  private static String oneLine(@org.jspecify.annotations.Nullable String s) {
    return s == null ? "(no message)" : s.replace('\n', ' ');
  }
}
