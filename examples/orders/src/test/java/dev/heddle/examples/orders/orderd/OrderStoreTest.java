package dev.heddle.examples.orders.orderd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderStoreTest {
  @TempDir Path dir;

  @Test
  void aVersionOneDatabaseIsUpgradedWhenOpenedAndKeepsItsOrders() throws Exception {
    Path db = dir.resolve("orders.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, side TEXT NOT NULL, symbol TEXT NOT NULL,"
              + " quantity INTEGER NOT NULL, price TEXT NOT NULL, created TEXT NOT NULL)");
      s.execute("INSERT INTO orders VALUES (1, 'BUY', 'OLD', 3, '1.5', '2026-01-01T00:00:00Z')");
      s.execute("PRAGMA user_version=1");
    }
    try (OrderStore store = OrderStore.open(db)) {
      assertEquals(
          "OLD", store.get(1).orElseThrow().symbol(), "the version-1 order is still there");
      store.begin();
      store.insert(2, new Request.Order(Request.Side.SELL, "NEW", 1, new BigDecimal("2"), "k-1"));
      store.commit();
      store.begin();
      assertEquals(2, store.byKey("k-1").orElseThrow().id());
      assertTrue(store.byKey("k-2").isEmpty());
      store.rollbackQuietly();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA user_version")) {
      r.next();
      assertEquals(OrderStore.SCHEMA_VERSION, r.getInt(1));
    }
    try (OrderStore again = OrderStore.open(db)) { // a version-2 database opens as it is
      assertEquals("NEW", again.get(2).orElseThrow().symbol());
    }
  }

  @Test
  void anUnknownSchemaVersionIsRefusedWithBothVersionsNamed() throws Exception {
    Path db = dir.resolve("future.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)");
      s.execute("PRAGMA user_version=7");
    }
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> OrderStore.open(db));
    assertTrue(
        String.valueOf(e.getMessage()).contains("schema version 7, expected 1 or 2"),
        e.getMessage());
  }
}
