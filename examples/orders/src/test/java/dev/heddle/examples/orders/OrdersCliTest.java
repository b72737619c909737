package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.console.HeddleMain;
import dev.heddle.console.live.Console;
import dev.heddle.junit.HeddleTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** bin/heddle against the running orders system: status, logs, restart, and the error cases. */
@HeddleTest
class OrdersCliTest {

  record Run(int code, String out, String err) {}

  static Run heddle(Path systems, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--systems-dir");
    all.add(systems.toString());
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        HeddleMain.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCliDrivesTheRunningOrdersSystem(Scope scope, Host host, Path dir) throws Exception {
    Path systems = dir.resolve("systems");
    Run none = heddle(systems, "status");
    assertEquals(1, none.code());
    assertTrue(none.err().contains("no Heddle system is running"), none.err());

    Console console =
        Console.start(
            scope,
            "orders",
            dir.resolve("state"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            systems);
    try {
      Orderd orderd =
          Orders.startOrderd(
              scope,
              host,
              Orders.startPositiond(scope, host, dir.resolve("positiond")),
              host.listen(SocketSpec.tcp("127.0.0.1", 0)),
              OrderDb.make(host, dir.resolve("orders.db")),
              Optional.empty(),
              OrderdOptions.defaults().withWorkers(2));
      Run status = heddle(systems, "status");
      assertEquals(0, status.code(), status.err());
      for (String s : List.of("positiond", "orderd-1", "orderd-2")) {
        assertTrue(
            status.out().lines().anyMatch(l -> l.startsWith(s + " ") && l.contains("ready")),
            status.out());
      }
      Run logs = heddle(systems, "logs", "orderd-2", "-n", "5");
      assertTrue(logs.out().contains("orderd ready on"), logs.out());
      int before = orderd.workers().get(1).current().pid();
      Run restart = heddle(systems, "restart", "orderd-2");
      assertEquals(0, restart.code(), restart.err());
      assertNotEquals(before, orderd.workers().get(1).current().pid());
      Run unknown = heddle(systems, "restart", "orderd-9");
      assertEquals(1, unknown.code());
      assertTrue(unknown.err().contains("no service 'orderd-9' in system 'orders'"), unknown.err());
      Run usage = heddle(systems, "logs");
      assertEquals(2, usage.code());
    } finally {
      console.close();
    }
    Run gone = heddle(systems, "status");
    assertEquals(1, gone.code(), "the registration outlived the console");
  }
}
