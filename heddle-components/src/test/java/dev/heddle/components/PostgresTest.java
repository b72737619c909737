package dev.heddle.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debian's PostgreSQL, started, used through JDBC, killed and restarted with its rows. */
@HeddleTest
class PostgresTest {

  @BeforeEach
  void searchable(Path dir) throws Exception {
    TestDirs.searchable(dir);
  }

  @Test
  void keepsCommittedRowsAcrossKillNine(Scope scope, Host host, Path dir) throws Exception {
    ReadyEvents events = new ReadyEvents(scope);
    Postgres pg = Postgres.start(scope, host, dir.resolve("pg"));
    execute(pg, "CREATE TABLE kv (k text PRIMARY KEY, v text)");
    execute(pg, "INSERT INTO kv VALUES ('greeting', 'hello')");
    int before = pg.service().current().pid();
    events.killAndAwaitRestart(pg.service());
    assertNotEquals(before, pg.service().current().pid());
    assertEquals("hello", query(pg, "SELECT v FROM kv WHERE k = 'greeting'"));
  }

  @Test
  void supervisesThePostmasterItselfNeverAsRoot(Scope scope, Host host, Path dir) throws Exception {
    Postgres pg = Postgres.start(scope, host, dir.resolve("pg"));
    Path proc = Path.of("/proc/" + pg.service().current().pid());
    assertEquals("postgres", Files.readString(proc.resolve("comm")).strip()); // setpriv exec'd it
    assertNotEquals("root", Files.getOwner(proc).getName());
    assertEquals("1", query(pg, "SELECT 1"));
  }

  @Test
  void reusesTheClusterOfAnEarlierRun(Host host, Path dir) throws Exception {
    try (Scope first = Scope.open("first")) {
      Postgres pg = Postgres.start(first, host, dir.resolve("pg"));
      execute(pg, "CREATE TABLE t (n int)");
      execute(pg, "INSERT INTO t VALUES (42)");
    }
    try (Scope second = Scope.open("second")) {
      Postgres pg = Postgres.start(second, host, dir.resolve("pg"));
      assertEquals("42", query(pg, "SELECT n FROM t"));
    }
  }

  @Test
  void twoInstancesSideBySide(Scope scope, Host host, Path dir) throws Exception {
    Postgres a = Postgres.start(scope, host, dir.resolve("a"));
    Postgres b = Postgres.start(scope, host, dir.resolve("b"));
    assertNotEquals(a.port(), b.port());
    execute(a, "CREATE TABLE only_in_a (n int)");
    assertEquals("1", query(a, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"));
    assertEquals("0", query(b, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"));
  }

  @Test
  void missingBinariesNameTheDebianPackage(Scope scope, Host host, Path dir) {
    var e =
        assertThrows(
            HeddleException.class,
            () -> Postgres.start(scope, host, dir.resolve("pg"), Path.of("/nonexistent/bin")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("apt-get install postgresql"), e.getMessage());
  }

  @Test
  void unwritableDataDirIsAClearError(Scope scope, Host host, Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    var e =
        assertThrows(
            HeddleException.class, () -> Postgres.start(scope, host, file.resolve("data")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("as postgres's data directory"), e.getMessage());
  }

  private static void execute(Postgres pg, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String query(Postgres pg, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql + " returned no row");
      return rs.getString(1);
    }
  }
}
