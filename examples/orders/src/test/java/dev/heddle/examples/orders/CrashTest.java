package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Event;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.SocketSpec;
import dev.heddle.examples.orders.client.Client;
import dev.heddle.examples.orders.client.Load;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a stream of orders from several clients: of orderd (restarted on the
 * same listening socket: no refused connection, no lost acknowledged order, positions = the sum of
 * the stored orders), and of positiond (orders wait for it, positions survive its restart).
 */
@HeddleTest
class CrashTest {
  Path dir;
  Host host;
  Scope scope;
  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void open(Scope scope, Host host, Path dir) {
    this.host = host;
    this.scope = scope;
    this.dir = dir;
    scope.events(events::add);
  }

  private Positiond positiond;

  private Orderd start(OrderdOptions options) throws Exception {
    ListeningSocket sock = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    positiond = Orders.startPositiond(scope, host, dir.resolve("positiond"));
    return Orders.startOrderd(
        scope,
        host,
        positiond,
        sock,
        OrderDb.make(host, dir.resolve("orders.db")),
        Optional.empty(),
        options);
  }

  /** Waits for {@code service}'s incarnation {@code n} to be ready (30 s at most). */
  private void awaitReady(String service, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e instanceof Event.Ready r && r.service().equals(service) && r.incarnation() == n) {
        return;
      }
    }
    throw new AssertionError(service + "#" + n + " not ready within 30 s");
  }

  /**
   * Waits until every thread of {@code pid} is stopped: kill(2) only queues SIGSTOP, and on a busy
   * machine a thread of the process can still run (and answer) until the group stop reaches it.
   */
  private static void awaitStopped(int pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      boolean all = true;
      try (var tasks = java.nio.file.Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path t : tasks.toList()) {
          String stat = java.nio.file.Files.readString(t.resolve("stat"));
          char state = stat.charAt(stat.lastIndexOf(')') + 2);
          all &= state == 'T' || state == 't';
        }
      } catch (java.io.IOException threadGone) {
        all = false;
      }
      if (all) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "pid " + pid + " not stopped within 10 s");
      Thread.sleep(5);
    }
  }

  private static void awaitAcks(Load load, long more) throws InterruptedException {
    long target = load.acked() + more;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (load.acked() < target) {
      assertTrue(System.nanoTime() < deadline, "only " + load.acked() + " acks, wanted " + target);
      Thread.sleep(5);
    }
  }

  @Test
  void orderdKilledMidStreamIsRestartedAndLosesNoAcknowledgedOrder() throws Exception {
    Orderd orderd = start(OrderdOptions.defaults());
    ServiceHandle worker = orderd.workers().get(0);
    Load load = new Load(orderd.address(), 4);
    try {
      for (int kill = 1; kill <= 3; kill++) {
        awaitAcks(load, 50);
        worker.current().signal(Signal.KILL);
        awaitReady("orderd-1", kill + 1);
      }
      awaitAcks(load, 50);
    } finally {
      load.stop();
    }
    assertEquals(0, load.refused.get(), "refused connections");
    assertEquals(0, load.rejected.get(), "rejections: " + load.rejections);
    assertTrue(load.broken.get() >= 1, "no client saw a crash: was orderd killed mid-stream?");
    Load.Result r = Load.verify(orderd.address(), load.acknowledged);
    assertEquals(0, r.lost(), "acknowledged orders missing from the database");
    assertTrue(r.stored() >= load.acknowledged.size());
    assertEquals(r.sums(), r.positions(), "positions vs the sum of stored orders");
  }

  @Test
  void positiondKilledMidStreamOrdersWaitAndPositionsSurvive() throws Exception {
    Orderd orderd =
        start(
            OrderdOptions.defaults().withWorkers(2).withPositiondPatience(Duration.ofSeconds(20)));
    Load load = new Load(orderd.address(), 4);
    try {
      for (int kill = 1; kill <= 2; kill++) {
        awaitAcks(load, 50);
        positiond.service().current().signal(Signal.KILL);
        awaitReady("positiond", kill + 1);
      }
      awaitAcks(load, 50);
    } finally {
      load.stop();
    }
    assertEquals(0, load.refused.get() + load.broken.get(), "clients noticed positiond's crash");
    assertEquals(0, load.rejected.get(), "orders waited for positiond: " + load.rejections);
    Load.Result r = Load.verify(orderd.address(), load.acknowledged);
    assertEquals(0, r.lost());
    assertEquals(r.stored(), load.acknowledged.size(), "every stored order was acknowledged");
    assertEquals(r.sums(), r.positions(), "positions after two positiond restarts");
  }

  @Test
  void ordersAreRejectedWhilePositiondDoesNotAnswerAndAcceptedAgainAfter() throws Exception {
    Orderd orderd = start(OrderdOptions.defaults().withPositiondPatience(Duration.ofMillis(300)));
    try (Client c = new Client(orderd.address())) {
      assertEquals("ACCEPTED 1", c.send("BUY IBM 5 10"));
      positiond.service().current().signal(Signal.STOP); // alive, holding its socket, silent
      awaitStopped(positiond.service().current().pid());
      try {
        assertEquals(
            "REJECTED positiond unavailable; the order was not stored, send it again",
            c.send("BUY IBM 7 10"));
        assertEquals("ERROR positiond unavailable; ask again", c.send("POSITION IBM"));
        assertEquals("UNKNOWN 2", c.send("GET 2"), "the rejected order was not stored");
      } finally {
        positiond.service().current().signal(Signal.CONT);
      }
      // positiond now handles the abandoned APPLY 2 (+7) too late, or drops it: either way the
      // next order (which reuses id 2) and the next query set it right
      String reply = c.send("SELL IBM 1 10");
      for (int i = 0; i < 30 && reply.startsWith("REJECTED positiond unavailable"); i++) {
        reply = c.send("SELL IBM 1 10"); // positiond's threads may take a moment to run again
      }
      assertEquals("ACCEPTED 2", reply, "recovers when positiond answers");
      assertEquals("POSITION IBM 4", c.send("POSITION IBM"));
    }
  }
}
