package dev.heddle.examples.iot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.examples.iot.client.IotClient;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.junit.HeddleTest;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole platform (real Redis, Mosquitto and every service as its own process), started once for
 * the class by the same {@link Platform#start} as {@code bin/iot}: a change made through one worker
 * reaches the device over MQTT and the same user's connection on another worker.
 */
@HeddleTest(scope = HeddleTest.Lifecycle.PER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformTest {
  static final Duration T = Duration.ofSeconds(20);
  static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw");
  Platform platform;
  final HttpClient http = HttpClient.newHttpClient();
  final List<IotClient> open = new ArrayList<>();

  @BeforeAll
  void start(Scope scope, Host host, Path dir) throws Exception {
    platform =
        Platform.start(scope, host, TestDirs.searchable(dir), Platform.Options.defaults(PASSWORDS));
  }

  @AfterAll
  void closeClients() {
    open.forEach(IotClient::close);
    http.close();
  }

  String token(String user) throws Exception {
    return IotClient.token(http, platform.auth().address(), user, PASSWORDS.get(user));
  }

  /**
   * A connection of {@code user} that landed on {@code worker}: the workers share one listening
   * socket, so which one accepts is the kernel's choice; connect until the hello names it.
   */
  IotClient on(String worker, String token) throws Exception {
    for (int i = 0; i < 60; i++) {
      IotClient c = IotClient.connect(http, platform.api().uri(), token, T);
      if (c.worker().equals(worker)) {
        open.add(c);
        return c;
      }
      c.close();
    }
    throw new AssertionError("60 connections and none landed on " + worker);
  }

  static @Nullable ObjectNode stateOf(ObjectNode event, String device, long version) {
    ObjectNode d = (ObjectNode) event.path("device");
    return event.path("event").asText().equals("device")
            && d.path("id").asText().equals(device)
            && d.path("state").path("version").asLong() >= version
        ? d
        : null;
  }

  @Test
  void aTargetSetOnOneWorkerReachesTheDeviceAndTheUsersConnectionOnAnotherWorker()
      throws Exception {
    String token = token("alice");
    IotClient a = on("api-1", token);
    IotClient b = on("api-2", token);
    assertNotEquals(a.worker(), b.worker());

    ObjectNode reply = a.set("lamp-1", Json.object("on", true, "brightness", 40), T);
    assertTrue(reply.path("ok").asBoolean(), reply.toString());
    long version = reply.path("version").asLong();
    assertTrue(version >= 1, reply.toString());

    // B (another process) sees the device's own report of that version: the device got it
    // over MQTT, applied it and reported back through the device service and Redis
    ObjectNode seen = b.awaitEvent(e -> stateOf(e, "lamp-1", version) != null, T);
    assertNotNull(seen, "worker " + b.worker() + " never pushed the device's report");
    ObjectNode state = (ObjectNode) seen.path("device").path("state");
    assertEquals(true, state.path("on").asBoolean(), state.toString());
    assertEquals(40, state.path("brightness").asInt(), state.toString());
    assertEquals(version, state.path("version").asLong(), state.toString());

    // and a fresh list on either worker shows target and state
    ObjectNode list = b.list(T);
    assertTrue(list.path("ok").asBoolean(), list.toString());
    ObjectNode lamp = (ObjectNode) list.path("devices").get(0);
    assertEquals("lamp-1", lamp.path("id").asText(), list.toString());
    assertEquals(40, lamp.path("target").path("brightness").asInt(), list.toString());
    assertEquals(2, list.path("devices").size(), "alice has lamp-1 and sousvide-1: " + list);
  }

  @Test
  void aSousVideHeatsTowardsItsTargetAndStatisticsCountItsReadings() throws Exception {
    String token = token("alice");
    IotClient c = IotClient.connect(http, platform.api().uri(), token, T);
    open.add(c);
    ObjectNode reply = c.set("sousvide-1", Json.object("on", true, "temp", 60), T);
    assertTrue(reply.path("ok").asBoolean(), reply.toString());
    long version = reply.path("version").asLong();
    ObjectNode warm =
        c.awaitEvent(
            e ->
                stateOf(e, "sousvide-1", version) != null
                    && e.path("device").path("state").path("water").asDouble() > 30,
            T);
    assertNotNull(warm, "the water never warmed above 30 °C");
    var r = IotClient.stats(http, platform.stats().address(), "sousvide-1", token);
    assertEquals(200, r.statusCode(), r.body());
    ObjectNode stats = Json.parseObject(r.body());
    assertTrue(stats.path("count").asLong() >= 2, stats.toString());
    assertTrue(stats.path("fields").path("water").path("max").asDouble() > 30, stats.toString());
  }
}
