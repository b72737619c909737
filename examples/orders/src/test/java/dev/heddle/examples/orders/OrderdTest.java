package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.examples.orders.client.Client;
import dev.heddle.junit.HeddleTest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's TestOrderd, in Java: positiond and two orderd workers with a fresh database and a
 * listening socket, started by the same start functions as {@code main}; then orders, queries and
 * bad input. One system for the class (each test uses its own symbols).
 */
@HeddleTest(scope = HeddleTest.Lifecycle.PER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderdTest {
  Host host;
  Scope scope;
  Orderd orderd;
  Audit audit;
  InetSocketAddress address;

  @BeforeAll
  void startTheSystem(Scope scope, Host host, Path dir) throws Exception {
    this.host = host;
    this.scope = scope;
    ListeningSocket sock = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    audit = Orders.startAudit(scope, host, dir.resolve("audit"));
    orderd =
        Orders.startOrderd(
            scope,
            host,
            Orders.startPositiond(scope, host, dir.resolve("positiond")),
            sock,
            OrderDb.make(host, dir.resolve("db/orders.db")),
            Optional.of(audit),
            OrderdOptions.defaults().withWorkers(2).withLimit(1000));
    address = orderd.address();
  }

  @Test
  void ordersAreAcknowledgedStoredAndCountedInPositions() throws Exception {
    try (Client c = new Client(address)) {
      String buy = c.send("BUY AAPL 10 187.25");
      assertTrue(buy.matches("ACCEPTED \\d+"), buy);
      String sell = c.send("SELL AAPL 3 187.50");
      assertTrue(sell.matches("ACCEPTED \\d+"), sell);
      String id = buy.substring("ACCEPTED ".length());
      assertEquals("ORDER " + id + " BUY AAPL 10 187.25", c.send("GET " + id));
      assertEquals(
          "ORDER " + sell.substring(9) + " SELL AAPL 3 187.5", c.send("GET " + sell.substring(9)));
      assertEquals("POSITION AAPL 7", c.send("POSITION AAPL"));
      assertEquals("UNKNOWN 999999", c.send("GET 999999"));
      assertEquals("POSITION NEVER 0", c.send("POSITION NEVER"));
    }
    // every worker sees the same positions: new connections land on either process
    for (int i = 0; i < 6; i++) {
      assertEquals("POSITION AAPL 7", Client.once(address, "POSITION AAPL"));
    }
  }

  @Test
  void anOrderThatWouldPassTheLimitIsRejectedAndNotStored() throws Exception {
    try (Client c = new Client(address)) {
      assertTrue(c.send("BUY MSFT 900 400").startsWith("ACCEPTED "));
      String rejected = c.send("BUY MSFT 101 400");
      assertEquals(
          "REJECTED position limit: MSFT is at 900, and +101 would pass the limit of 1000",
          rejected);
      assertTrue(c.send("BUY MSFT 100 400").startsWith("ACCEPTED "), "exactly the limit is fine");
      assertTrue(c.send("SELL MSFT 2000 400").startsWith("ACCEPTED "), "down to -1000 is fine");
      assertTrue(c.send("SELL MSFT 1 400").startsWith("REJECTED position limit"));
      assertEquals("POSITION MSFT -1000", c.send("POSITION MSFT"));
    }
  }

  @Test
  void anOrderSentAgainWithItsKeyIsStoredOnceAndAnsweredWithItsId() throws Exception {
    try (Client c = new Client(address)) {
      String first = c.send("BUY KEYD 7 10.5 KEY retry-1");
      assertTrue(first.startsWith("ACCEPTED "), first);
      assertEquals(first, c.send("BUY KEYD 7 10.50 KEY retry-1"), "the same order again");
      try (Client other = new Client(address)) {
        assertEquals(first, other.send("BUY KEYD 7 10.5 KEY retry-1"), "from another connection");
      }
      assertEquals("POSITION KEYD 7", c.send("POSITION KEYD"), "stored once");
      assertEquals(
          "REJECTED key retry-1 was used for another order ("
              + first.substring(9)
              + ": BUY KEYD 7 10.5); use a new key for a new order",
          c.send("SELL KEYD 7 10.5 KEY retry-1"));
      String second = c.send("BUY KEYD 1 10.5 KEY retry-2");
      assertTrue(second.startsWith("ACCEPTED ") && !second.equals(first), second);
      assertEquals("POSITION KEYD 8", c.send("POSITION KEYD"));
    }
  }

  @Test
  void malformedLinesAreAnsweredWithErrorAndTheConnectionStaysUsable() throws Exception {
    try (Client c = new Client(address)) {
      List<List<String>> cases =
          List.of(
              List.of("", "ERROR empty line; expected BUY, SELL, GET or POSITION"),
              List.of(
                  "HELLO", "ERROR unknown command 'HELLO'; expected BUY, SELL, GET or POSITION"),
              List.of("buy IBM 1 1", "ERROR unknown command 'buy'"),
              List.of(
                  "BUY IBM 1",
                  "ERROR expected BUY <SYMBOL> <QTY> <PRICE> [KEY <key>] (3 or 5 arguments), got 2"),
              List.of("BUY ibm 1 1", "ERROR symbol 'ibm' must be 1 to 8 capital letters A-Z"),
              List.of("BUY ABCDEFGHI 1 1", "ERROR symbol 'ABCDEFGHI' must be"),
              List.of("BUY IBM 0 1", "ERROR quantity '0' must be a positive integer"),
              List.of("BUY IBM -5 1", "ERROR quantity '-5' must be a positive integer"),
              List.of("BUY IBM 1.5 1", "ERROR quantity '1.5' must be a positive integer"),
              List.of("SELL IBM 1 0", "ERROR price '0' must be a positive decimal"),
              List.of("SELL IBM 1 -1", "ERROR price '-1' must be a positive decimal"),
              List.of("SELL IBM 1 abc", "ERROR price 'abc' must be a positive decimal"),
              List.of("BUY IBM 1 1 KEY", "ERROR expected BUY <SYMBOL> <QTY> <PRICE> [KEY <key>]"),
              List.of("BUY IBM 1 1 ID k1", "ERROR expected KEY <key> after the price, got 'ID'"),
              List.of("BUY IBM 1 1 KEY a/b", "ERROR key 'a/b' must be 1 to 64 letters"),
              List.of("GET x", "ERROR id 'x' is not a positive integer"),
              List.of("POSITION", "ERROR expected POSITION <SYMBOL> (1 arguments), got 0"));
      for (List<String> k : cases) {
        String reply = c.send(k.get(0));
        assertTrue(reply.startsWith(k.get(1)), "'" + k.get(0) + "' -> " + reply);
      }
      c.write(new byte[] {'G', 'E', 'T', ' ', (byte) 0xc3, '\n'});
      assertEquals("ERROR line is not valid UTF-8", c.readLine());
      assertEquals("POSITION IBM 0", c.send("POSITION IBM"), "nothing was stored");
      assertTrue(c.send("BUY IBM 1 1").startsWith("ACCEPTED "), "still usable");
    }
  }

  @Test
  void aMegabyteWithoutNewlineIsSkippedAndAnswered() throws Exception {
    try (Client c = new Client(address)) {
      byte[] mb = new byte[1 << 20];
      java.util.Arrays.fill(mb, (byte) 'A');
      c.write(mb);
      c.write("\nBUY ORCL 5 10\n");
      assertEquals("ERROR line longer than 4096 bytes", c.readLine());
      assertTrue(c.readLine().startsWith("ACCEPTED "));
      assertEquals("POSITION ORCL 5", c.send("POSITION ORCL"));
    }
  }

  @Test
  void aClientThatDisconnectsMidLineChangesNothing() throws Exception {
    for (int i = 0; i < 5; i++) {
      try (Client c = new Client(address)) {
        c.write("BUY NFLX 7 12"); // no newline: never a request
      }
      try (Client c = new Client(address)) {
        byte[] mb = new byte[1 << 20];
        c.write(mb); // half a megabyte of nothing, then gone
      } catch (java.io.IOException resetByPeer) {
        // orderd may close first; either way it must survive
      }
    }
    assertEquals("POSITION NFLX 0", Client.once(address, "POSITION NFLX"));
    assertTrue(Client.once(address, "BUY NFLX 1 1").startsWith("ACCEPTED "));
    for (var w : orderd.workers()) {
      assertEquals(1, w.current().incarnation(), w.name() + " was restarted");
    }
  }

  @Test
  void acceptedOrdersReachTheOptionalAuditSink() throws Exception {
    String id = Client.once(address, "BUY AMZN 3 99.5").substring("ACCEPTED ".length());
    String expected = "ACCEPTED " + id + " BUY AMZN 3 99.5";
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!Files.readAllLines(audit.log()).contains(expected)) {
      assertTrue(System.nanoTime() < deadline, "no '" + expected + "' in " + audit.log());
      Thread.sleep(20);
    }
  }
}
