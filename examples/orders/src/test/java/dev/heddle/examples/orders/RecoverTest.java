package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.examples.orders.client.Client;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A second run of the system on the same state: OrderDb.recover and positiond's log. */
@HeddleTest
class RecoverTest {

  @Test
  void theWholeSystemComesBackWithItsOrdersAndPositions(Host host, Path dir) throws Exception {
    Path db = dir.resolve("orders.db");
    try (Scope scope = Scope.open("first")) {
      Orderd orderd =
          Orders.startOrderd(
              scope,
              host,
              Orders.startPositiond(scope, host, dir.resolve("positiond")),
              host.listen(SocketSpec.tcp("127.0.0.1", 0)),
              OrderDb.make(host, db));
      try (Client c = new Client(orderd.address())) {
        assertEquals("ACCEPTED 1", c.send("BUY AAPL 10 1.5"));
        assertEquals("ACCEPTED 2", c.send("SELL MSFT 4 2"));
      }
      var e = assertThrows(HeddleException.class, () -> OrderDb.make(host, db));
      assertEquals("ORDER_DB", e.code());
      assertTrue(e.getMessage().contains("the file exists (recover it instead)"), e.getMessage());
    }
    try (Scope scope = Scope.open("second")) {
      Orderd orderd =
          Orders.startOrderd(
              scope,
              host,
              Orders.startPositiond(scope, host, dir.resolve("positiond")),
              host.listen(SocketSpec.tcp("127.0.0.1", 0)),
              OrderDb.recover(host, db));
      try (Client c = new Client(orderd.address())) {
        assertEquals("ORDER 2 SELL MSFT 4 2", c.send("GET 2"));
        assertEquals("POSITION AAPL 10", c.send("POSITION AAPL"));
        assertEquals("POSITION MSFT -4", c.send("POSITION MSFT"));
        assertEquals("ACCEPTED 3", c.send("BUY AAPL 1 1.5"));
      }
    }
    var missing =
        assertThrows(HeddleException.class, () -> OrderDb.recover(host, dir.resolve("nothing.db")));
    assertTrue(missing.getMessage().contains("no order database at"), missing.getMessage());
    Files.writeString(dir.resolve("junk.db"), "not a database");
    var junk =
        assertThrows(HeddleException.class, () -> OrderDb.recover(host, dir.resolve("junk.db")));
    assertTrue(
        junk.getMessage().startsWith("Cannot recover the order database"), junk.getMessage());
  }
}
