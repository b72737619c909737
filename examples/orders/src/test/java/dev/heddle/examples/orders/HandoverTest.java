package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.examples.orders.client.Client;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orders --handover}: kill -9 of the program leaves the system serving; the next run
 * adopts every service (same pids, positions kept); a run with a changed orderd (another {@code
 * --limit}) replaces orderd alone; Ctrl-C (SIGTERM) of the last run stops it all. Each run is a
 * real JVM running {@link OrdersMain}.
 */
class HandoverTest {
  @TempDir Path dir;
  final List<Process> runs = new ArrayList<>();

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    for (Process p : runs) {
      p.destroy(); // SIGTERM: the program stops its system
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void killNineThenRunAgainAdoptsEverythingAndAChangedOrderdIsReplacedAlone() throws Exception {
    int port = freePort();
    var address = new InetSocketAddress("127.0.0.1", port);
    start("1000000", port);
    assertTrue(Client.once(address, "BUY AAPL 10 1.5").startsWith("ACCEPTED "));
    long orderd = pid("OrderdMain");
    long positiond = pid("PositiondMain");

    kill9(runs.getLast());
    assertTrue(alive(orderd) && alive(positiond), "the system died with its program");
    assertTrue(Client.once(address, "BUY AAPL 5 1.5").startsWith("ACCEPTED "));

    start("1000000", port);
    assertEquals(orderd, pid("OrderdMain"), "orderd was started again instead of adopted");
    assertEquals(positiond, pid("PositiondMain"), "positiond was started again");
    assertEquals("POSITION AAPL 15", Client.once(address, "POSITION AAPL"));

    kill9(runs.getLast());
    start("500000", port); // orderd's command changed: a new orderd, on the same socket
    long upgraded = pid("OrderdMain");
    assertNotEquals(orderd, upgraded);
    assertTrue(eventually(() -> !alive(orderd)), "the old orderd still runs after the upgrade");
    assertEquals(positiond, pid("PositiondMain"), "positiond did not change and was restarted");
    assertEquals("POSITION AAPL 15", Client.once(address, "POSITION AAPL"));
    assertTrue(log().contains("orders: handover mode"), log());

    Process last = runs.getLast();
    last.destroy(); // Ctrl-C's SIGTERM: a deliberate stop stops everything, handover or not
    assertTrue(last.waitFor(30, TimeUnit.SECONDS), log());
    assertTrue(eventually(() -> !alive(upgraded) && !alive(positiond)), "still running");
    assertTrue(
        eventually(() -> !Files.exists(dir.resolve("state/agent/agent.sock"))),
        "the agent still runs");
  }

  private void start(String limit, int port) throws Exception {
    int before = count("orders: handover mode");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                OrdersMain.class.getName(),
                "--handover",
                "--state-dir",
                dir.resolve("state").toString(),
                "--port",
                Integer.toString(port),
                "--no-audit",
                "--limit",
                limit)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("runs.log").toFile()))
            .start();
    runs.add(p);
    assertTrue(eventually(() -> count("orders: handover mode") > before || !p.isAlive()), log());
    assertTrue(p.isAlive(), log());
  }

  private static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
  }

  private long pid(String mainClass) throws Exception {
    return dev.heddle.examples.orders.bench.UpgradeBench.pid(dir, mainClass);
  }

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private int count(String text) {
    return log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("runs.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
