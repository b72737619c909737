package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  /** The orders system as bin/orders starts it (one orderd worker here), with its console. */
  static Console startOrders(Scope scope, Host host, Path dir, Path systems) throws Exception {
    Console console =
        Console.start(
            scope,
            "orders",
            dir.resolve("state"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            systems);
    var _ =
        Orders.startOrderd(
            scope,
            host,
            Orders.startPositiond(scope, host, dir.resolve("positiond")),
            host.listen(SocketSpec.tcp("127.0.0.1", 0)),
            OrderDb.make(host, dir.resolve("orders.db")),
            Optional.empty(),
            OrderdOptions.defaults().withWorkers(1));
    return console;
  }

  /** bin/heddle in its own JVM, as a user runs it, with {@code HEDDLE_SYSTEMS} set. */
  static Run heddleProcess(Path heddleSystems, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                HeddleMain.class.getName()));
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command);
    pb.environment().put("HEDDLE_SYSTEMS", heddleSystems.toString());
    Process p =
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    var err = new ByteArrayOutputStream();
    Thread errReader =
        Thread.ofVirtual()
            .name("test/heddle-stderr")
            .start(
                () -> {
                  try (var in = p.getErrorStream()) {
                    in.transferTo(err);
                  } catch (java.io.IOException e) {
                    err.writeBytes(e.toString().getBytes(StandardCharsets.UTF_8));
                  }
                });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bin/heddle did not end");
    errReader.join();
    String errText = err.toString(StandardCharsets.UTF_8);
    return new Run(p.exitValue(), out, errText);
  }

  @Test
  void noSystemRunningWhereHeddleSystemsPoints(Scope scope, Host host, Path dir) throws Exception {
    Path systems = dir.resolve("systems");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Console console = startOrders(scope, host, dir, systems);
    try {
      Run none = heddleProcess(empty, "status");
      assertEquals(1, none.code(), none.err());
      assertTrue(
          none.err().startsWith("heddle status: no Heddle system is running (looked in " + empty),
          none.err());
      assertEquals("", none.out());
      Run there = heddleProcess(systems, "status");
      assertEquals(0, there.code(), there.err());
      assertTrue(there.out().startsWith("system orders (pid "), there.out());
    } finally {
      console.close();
    }
  }

  @Test
  void unknownServiceStaleStateBadTokenAndSeveralSystems(Scope scope, Host host, Path dir)
      throws Exception {
    Path systems = dir.resolve("systems");
    Console console = startOrders(scope, host, dir, systems);
    try {
      // an unknown service, for each command that takes one
      for (String command : List.of("restart", "stop", "start", "logs")) {
        Run unknown = heddle(systems, command, "orderd-9");
        assertEquals(1, unknown.code(), command + ": " + unknown.err());
        assertTrue(
            unknown.err().contains("no service 'orderd-9' in system 'orders'"), unknown.err());
      }

      // the state file of a controller that died (kill -9: it never unregistered)
      Path registration;
      try (var files = Files.list(systems)) {
        registration = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      }
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      var json = new ObjectMapper();
      ObjectNode dead = (ObjectNode) json.readTree(Files.readString(registration));
      dead.put("system", "orders-old").put("pid", gone.pid());
      Path alone = Files.createDirectories(dir.resolve("alone"));
      Path staleFile = alone.resolve("orders-old-" + gone.pid() + ".json");
      Files.writeString(staleFile, dead.toString());
      Run stale = heddle(alone, "status");
      assertEquals(1, stale.code(), stale.err());
      assertTrue(
          stale.err().contains("system 'orders-old' (pid " + gone.pid())
              && stale.err().contains("is not running")
              && stale.err().contains("removed the stale file"),
          stale.err());
      assertTrue(Files.notExists(staleFile));
      // next to the running system, a stale file is removed and the running one answers
      Path besideFile = systems.resolve("orders-old-" + gone.pid() + ".json");
      Files.writeString(besideFile, dead.toString());
      Run beside = heddle(systems, "status");
      assertEquals(0, beside.code(), beside.err());
      assertTrue(Files.notExists(besideFile));

      // a token that is not the running system's (a registration of another run, say)
      Path token = dir.resolve("state/console/token");
      String good = Files.readString(token);
      Files.writeString(token, "not-the-token");
      Run refused = heddle(systems, "restart", "orderd-1");
      Files.writeString(token, good);
      assertEquals(1, refused.code(), refused.err());
      assertTrue(refused.err().contains("system 'orders' refused the token"), refused.err());

      // two systems: without --system the names to choose from; with it, the one asked for
      Console lab =
          Console.start(
              scope,
              "lab",
              dir.resolve("lab-state"),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              systems);
      try {
        long pid = ProcessHandle.current().pid();
        Run several = heddle(systems, "status");
        assertEquals(2, several.code(), several.err());
        assertTrue(
            several.err().contains("several systems run: ")
                && several.err().contains("orders (pid " + pid + ")")
                && several.err().contains("lab (pid " + pid + ")")
                && several.err().contains("pick one with --system NAME"),
            several.err());
        Run orders = heddle(systems, "--system", "orders", "status");
        assertEquals(0, orders.code(), orders.err());
        assertTrue(orders.out().startsWith("system orders"), orders.out());
        assertTrue(orders.out().lines().anyMatch(l -> l.startsWith("orderd-1 ")), orders.out());
        Run picked = heddle(systems, "status", "--system", "lab");
        assertEquals(0, picked.code(), picked.err());
        assertTrue(picked.out().startsWith("system lab"), picked.out());
        Run nope = heddle(systems, "status", "--system", "nope");
        assertEquals(1, nope.code());
        assertTrue(nope.err().contains("no system 'nope' is running"), nope.err());
      } finally {
        lab.close();
      }
    } finally {
      console.close();
    }
  }
}
