package dev.heddle.examples.iot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.Event;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.examples.iot.client.IotClient;
import dev.heddle.junit.HeddleTest;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kill -9 (of the real pid) of a worker, a device service, Redis and Mosquitto in turn, each in the
 * middle of a stream of set-targets: each is restarted by its policy, clients reconnect, and the
 * platform's guarantee holds: an acknowledged target is never lost (versions never repeat, the
 * stored target is the last acknowledged one or a later one), and every device converges to the
 * stored target (it reports that version and those values).
 */
@HeddleTest(scope = HeddleTest.Lifecycle.PER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoverTest {
  static final Duration T = Duration.ofSeconds(30);
  static final Map<String, String> ALICES = Map.of("lamp-1", "lamp", "sousvide-1", "sousvide");
  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final HttpClient http = HttpClient.newHttpClient();
  Platform platform;
  String token;

  @BeforeAll
  void start(Scope scope, Host host, Path dir) throws Exception {
    scope.events(events::add);
    platform =
        Platform.start(
            scope,
            host,
            TestDirs.searchable(dir),
            Platform.Options.defaults(PlatformTest.PASSWORDS));
    token = IotClient.token(http, platform.auth().address(), "alice", "alice-pw");
  }

  @AfterAll
  void close() {
    http.close();
  }

  @Test
  void aKilledWorkerIsRestartedAndItsClientsReconnect() throws Exception {
    ServiceHandle worker = platform.api().workers().get(0);
    Load load = killDuringLoad(worker, worker.name());
    assertTrue(
        load.reconnects.get() >= 1,
        "no writer reconnected: none was on the killed worker (broken " + load.broken + ")");
  }

  @Test
  void aKilledDeviceServiceIsRestartedAndDevicesConverge() throws Exception {
    killDuringLoad(platform.deviceServices().get(0).service());
  }

  @Test
  void aKilledRedisIsRestartedAndLosesNoAcknowledgedTarget() throws Exception {
    killDuringLoad(platform.redis().service());
  }

  @Test
  void aKilledMosquittoIsRestartedAndDevicesConverge() throws Exception {
    killDuringLoad(platform.mqtt().service());
  }

  /** Runs writers, kills {@code victim} mid-stream, waits for its restart and more acks, checks. */
  private Load killDuringLoad(ServiceHandle victim) throws Exception {
    return killDuringLoad(victim, null);
  }

  /** As above, the writers first connected to the worker named {@code onWorker} when not null. */
  private Load killDuringLoad(
      ServiceHandle victim, @org.jspecify.annotations.Nullable String onWorker) throws Exception {
    Load load = new Load(http, platform.api().uri(), token, ALICES, onWorker);
    try {
      awaitAcks(load, 20);
      int incarnation = incarnationOf(victim);
      int pid = victim.current().pid();
      victim.current().signal(Signal.KILL);
      awaitReady(victim.name(), incarnation + 1);
      assertTrue(victim.current().pid() != pid, victim.name() + " has a new pid");
      awaitAcks(load, 20);
    } finally {
      load.stop();
    }
    assertEquals(java.util.List.of(), load.violations, "acknowledged versions went backwards");
    awaitConverged(load);
    return load;
  }

  private int incarnationOf(ServiceHandle s) {
    int n = 0;
    for (Event e : events) {
      if (e instanceof Event.Ready r && r.service().equals(s.name())) {
        n = Math.max(n, r.incarnation());
      }
    }
    return n;
  }

  private void awaitReady(String service, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (Event e : events) {
        if (e instanceof Event.Ready r && r.service().equals(service) && r.incarnation() == n) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(service + "#" + n + " not ready within 60 s");
  }

  private static void awaitAcks(Load load, long more) throws InterruptedException {
    long want = load.acked.get() + more;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (load.acked.get() < want) {
      assertTrue(
          System.nanoTime() < deadline,
          "only " + load.acked.get() + " acks, wanted " + want + "; errors " + load.errors);
      Thread.sleep(20);
    }
  }

  /**
   * The guarantee, checked on a fresh connection: for each device, the stored target is the last
   * acknowledged one (or a later one that was applied but whose reply was lost), and the device
   * reports exactly that version and those values within 30 s.
   */
  private void awaitConverged(Load load) throws Exception {
    long deadline = System.nanoTime() + T.toNanos();
    String why = "";
    while (System.nanoTime() < deadline) {
      try (IotClient c = IotClient.connect(http, platform.api().uri(), token, T)) {
        why = "";
        for (JsonNode d : c.list(T).path("devices")) {
          Load.Ack ack = load.last.get(d.path("id").asText());
          if (ack == null) {
            continue;
          }
          long version = d.path("version").asLong();
          assertTrue(
              version >= ack.version(), "stored " + d + " is older than acknowledged " + ack);
          if (version == ack.version()) {
            assertEquals(ack.target(), d.path("target"), "stored target vs the acknowledged one");
          }
          JsonNode state = d.path("state");
          if (state.path("version").asLong() != version
              || !matches((ObjectNode) d.path("target"), state)) {
            why =
                d.path("id")
                    + " reports "
                    + state
                    + ", target "
                    + d.path("target")
                    + " v"
                    + version;
          }
        }
      }
      if (why.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("devices did not converge within " + T + ": " + why);
  }

  private static boolean matches(ObjectNode target, JsonNode state) {
    for (var f : target.properties()) {
      if (!state.path(f.getKey()).equals(f.getValue())
          && state.path(f.getKey()).asDouble() != f.getValue().asDouble()) {
        return false;
      }
    }
    return true;
  }
}
