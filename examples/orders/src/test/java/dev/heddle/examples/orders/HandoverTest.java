package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.examples.orders.bench.UpgradeBench;
import dev.heddle.examples.orders.client.Client;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
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
  UpgradeBench.@Nullable ProgramLauncher runs;

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    if (runs != null) {
      runs.stopAll(); // SIGTERM: the live program stops its system
    }
  }

  @Test
  void killNineThenRunAgainAdoptsEverythingAndAChangedOrderdIsReplacedAlone() throws Exception {
    int port = freePort();
    var address = new InetSocketAddress("127.0.0.1", port);
    var runs = new UpgradeBench.ProgramLauncher(dir, port);
    this.runs = runs;
    runs.start("1000000");
    assertTrue(Client.once(address, "BUY AAPL 10 1.5").startsWith("ACCEPTED "));
    long orderd = pid("OrderdMain");
    long positiond = pid("PositiondMain");

    runs.kill9();
    assertTrue(alive(orderd) && alive(positiond), "the system died with its program");
    assertTrue(Client.once(address, "BUY AAPL 5 1.5").startsWith("ACCEPTED "));

    runs.start("1000000");
    assertEquals(orderd, pid("OrderdMain"), "orderd was started again instead of adopted");
    assertEquals(positiond, pid("PositiondMain"), "positiond was started again");
    assertEquals("POSITION AAPL 15", Client.once(address, "POSITION AAPL"));

    runs.kill9();
    runs.start("500000"); // orderd's command changed: a new orderd, on the same socket
    long upgraded = pid("OrderdMain");
    assertNotEquals(orderd, upgraded);
    assertTrue(eventually(() -> !alive(orderd)), "the old orderd still runs after the upgrade");
    assertEquals(positiond, pid("PositiondMain"), "positiond did not change and was restarted");
    assertEquals("POSITION AAPL 15", Client.once(address, "POSITION AAPL"));

    runs.stopAll(); // Ctrl-C's SIGTERM: a deliberate stop stops everything, handover or not
    assertTrue(eventually(() -> !alive(upgraded) && !alive(positiond)), "still running");
    assertTrue(
        eventually(() -> !Files.exists(dir.resolve("state/agent/agent.sock"))),
        "the agent still runs");
  }

  private long pid(String mainClass) throws Exception {
    return UpgradeBench.pid(dir, mainClass);
  }

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
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
