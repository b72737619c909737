package dev.heddle.examples.orders.orderd;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The order database: a conventional SQLite file (WAL, {@code synchronous=FULL}, so a commit is on
 * disk before it returns). Several orderd processes may share it: writers serialise on SQLite's
 * write lock ({@code BEGIN IMMEDIATE}), readers never block. Order ids are dense: the next batch
 * starts at {@code max(id) + 1} read inside its transaction, so the ids of a transaction that never
 * committed are handed out again, which is what lets positiond drop entries of transactions that
 * never committed.
 *
 * <p>Not thread-safe: the write connection belongs to whoever holds the caller's lock; {@link #get}
 * has its own connection and lock.
 */
final class OrderStore implements AutoCloseable {
  /** 2 added {@code client_key}; a version-1 database is upgraded when it is opened. */
  static final int SCHEMA_VERSION = 2;

  private final Connection write;
  private final Connection read;
  private final ReentrantLock readLock = new ReentrantLock();
  private final PreparedStatement insert;
  private final PreparedStatement maxId;
  private final PreparedStatement select;
  private final PreparedStatement byKey;

  private OrderStore(Connection write, Connection read) throws SQLException {
    this.write = write;
    this.read = read;
    this.insert =
        write.prepareStatement(
            "INSERT INTO orders (id, side, symbol, quantity, price, created, client_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.maxId = write.prepareStatement("SELECT coalesce(max(id), 0) FROM orders");
    this.select =
        read.prepareStatement("SELECT side, symbol, quantity, price FROM orders WHERE id = ?");
    this.byKey =
        write.prepareStatement(
            "SELECT id, side, symbol, quantity, price FROM orders WHERE client_key = ?");
  }

  /** Creates a fresh database at {@code path}; refuses an existing file. */
  static void create(Path path) throws SQLException {
    if (Files.exists(path)) {
      throw new SQLException(
          "refusing to make a database at " + path + ": the file exists (recover it instead)");
    }
    try (Connection c = connect(path);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute(
          """
          CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            symbol TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            price TEXT NOT NULL,
            created TEXT NOT NULL)""");
      addClientKey(s);
      s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
    }
  }

  /**
   * Checks that {@code path} holds an orderd database of this version and that SQLite finds it
   * intact; the message says what is wrong.
   */
  static void check(Path path) throws SQLException {
    if (!Files.isRegularFile(path)) {
      throw new SQLException("no order database at " + path + " (make one first)");
    }
    try (Connection c = connect(path);
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
        int v = r.next() ? r.getInt(1) : 0;
        if (v != SCHEMA_VERSION && v != 1) {
          throw new SQLException(
              path + " has schema version " + v + ", expected 1 or " + SCHEMA_VERSION);
        }
      }
      try (ResultSet r = s.executeQuery("PRAGMA quick_check")) {
        String result = r.next() ? r.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new SQLException(path + " failed SQLite's quick_check: " + result);
        }
      }
    }
  }

  /** Opens an existing database (after {@link #check}), upgrading a version-1 schema. */
  static OrderStore open(Path path) throws SQLException {
    check(path);
    upgrade(path);
    return new OrderStore(connect(path), connect(path));
  }

  /**
   * Version 1 → 2 in one transaction under the write lock, so that of several workers opening the
   * database at once one upgrades and the others find version 2.
   */
  private static void upgrade(Path path) throws SQLException {
    try (Connection c = connect(path);
        Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
        if (r.next() && r.getInt(1) == 1) {
          addClientKey(s);
          s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
      }
      s.execute("COMMIT");
    }
  }

  private static void addClientKey(Statement s) throws SQLException {
    if (!hasColumn(s, "client_key")) {
      s.execute("ALTER TABLE orders ADD COLUMN client_key TEXT");
    }
    s.execute("CREATE UNIQUE INDEX orders_client_key ON orders (client_key)");
  }

  private static boolean hasColumn(Statement s, String column) throws SQLException {
    try (ResultSet r =
        s.executeQuery("SELECT 1 FROM pragma_table_info('orders') WHERE name = '" + column + "'")) {
      return r.next();
    }
  }

  private static Connection connect(Path path) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA synchronous=FULL");
    }
    return c;
  }

  /** Takes SQLite's write lock (waits up to the busy timeout for other processes). */
  void begin() throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  /** Inserts {@code order} as {@code id} in the open transaction. */
  void insert(long id, Request.Order order) throws SQLException {
    insert.setLong(1, id);
    insert.setString(2, order.side().name());
    insert.setString(3, order.symbol());
    insert.setLong(4, order.quantity());
    insert.setString(5, order.price().toPlainString());
    insert.setString(6, Instant.now().toString());
    insert.setString(7, order.key());
    insert.executeUpdate();
  }

  /**
   * The committed order stored under the client's idempotency {@code key}, with its id, read in the
   * open transaction.
   */
  Optional<Stored> byKey(String key) throws SQLException {
    byKey.setString(1, key);
    try (ResultSet r = byKey.executeQuery()) {
      if (!r.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Stored(
              r.getLong(1),
              new Request.Order(
                  Request.Side.valueOf(r.getString(2)),
                  r.getString(3),
                  r.getLong(4),
                  new BigDecimal(r.getString(5)))));
    }
  }

  /** An order as stored, with its id. */
  record Stored(long id, Request.Order order) {}

  /** The largest committed id (0 for none), read in the open transaction. */
  long maxId() throws SQLException {
    try (ResultSet r = maxId.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  void commit() throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("COMMIT");
    }
  }

  /** Rolls back the open transaction, if any; never throws. */
  void rollbackQuietly() {
    try (Statement s = write.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction open, or the connection is gone: nothing was committed either way
    }
  }

  /** The committed order {@code id}, if there is one. Thread-safe; never waits for writers. */
  Optional<Request.Order> get(long id) throws SQLException {
    readLock.lock();
    try {
      select.setLong(1, id);
      try (ResultSet r = select.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Request.Order(
                Request.Side.valueOf(r.getString(1)),
                r.getString(2),
                r.getLong(3),
                new BigDecimal(r.getString(4))));
      }
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void close() throws SQLException {
    try (write;
        read) {
      // closes both
    }
  }
}
