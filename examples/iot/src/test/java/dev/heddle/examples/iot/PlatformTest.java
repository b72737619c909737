package dev.heddle.examples.iot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.examples.iot.client.IotClient;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Tokens;
import dev.heddle.junit.HeddleTest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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

  @Test
  void aUsersTokenCannotReadOrChangeAnotherUsersDevices() throws Exception {
    IotClient alice = IotClient.connect(http, platform.api().uri(), token("alice"), T);
    IotClient bob = IotClient.connect(http, platform.api().uri(), token("bob"), T);
    open.add(alice);
    open.add(bob);
    ObjectNode list = bob.list(T);
    assertEquals(1, list.path("devices").size(), list.toString());
    assertEquals("lamp-2", list.path("devices").get(0).path("id").asText(), list.toString());

    ObjectNode denied = bob.set("lamp-1", Json.object("on", false), T);
    assertEquals(false, denied.path("ok").asBoolean(), denied.toString());
    assertEquals("no device lamp-1 of yours", denied.path("error").asText());
    ObjectNode unknown = bob.set("lamp-99", Json.object("on", false), T);
    assertEquals("no device lamp-99 of yours", unknown.path("error").asText(), "same answer");

    var stats = IotClient.stats(http, platform.stats().address(), "sousvide-1", token("bob"));
    assertEquals(404, stats.statusCode(), stats.body());

    // alice's change reaches alice, never bob
    ObjectNode ok = alice.set("lamp-1", Json.object("on", true, "brightness", 7), T);
    assertTrue(ok.path("ok").asBoolean(), ok.toString());
    assertNotNull(alice.awaitEvent(e -> e.path("device").path("id").asText().equals("lamp-1"), T));
    assertNull(
        bob.awaitEvent(
            e -> e.path("device").path("id").asText().startsWith("lamp-1"), Duration.ofSeconds(2)),
        "bob saw alice's lamp");
    ObjectNode after = alice.list(T);
    assertEquals(7, after.path("devices").get(0).path("target").path("brightness").asInt());
  }

  @Test
  void forgedTamperedAndExpiredTokensAndWrongPasswordsAreRefused() throws Exception {
    Tokens real = Tokens.fromFile(platform.secrets().keyFile());
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    String good = token("alice");
    String[] parts = good.split("\\.", 3);
    String bobInAlicesToken =
        Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes(UTF_8))
            + "."
            + parts[1]
            + "."
            + parts[2];
    Map<String, String> bad =
        Map.of(
            "forged",
            Tokens.withKey(otherKey).sign("alice", Instant.now().plusSeconds(600)),
            "tampered",
            bobInAlicesToken,
            "expired",
            real.sign("alice", Instant.now().minusSeconds(1)),
            "garbage",
            "not-a-token");
    for (var e : bad.entrySet()) {
      IOException refused =
          assertThrows(
              IOException.class,
              () -> IotClient.connect(http, platform.api().uri(), e.getValue(), T),
              e.getKey());
      assertTrue(
          refused.getCause() instanceof WebSocketHandshakeException h
              && h.getResponse().statusCode() == 401,
          e.getKey() + ": " + refused);
      var stats = IotClient.stats(http, platform.stats().address(), "lamp-1", e.getValue());
      assertEquals(401, stats.statusCode(), e.getKey() + ": " + stats.body());
    }
    try (RawWebSocket none =
        new RawWebSocket(platform.api().address(), RawWebSocket.handshake(""))) {
      assertTrue(none.responseHead.startsWith("HTTP/1.1 401"), none.responseHead);
    }
    IOException wrong =
        assertThrows(
            IOException.class,
            () -> IotClient.token(http, platform.auth().address(), "alice", "bob-pw"));
    assertTrue(wrong.getMessage().startsWith("auth said 401"), wrong.getMessage());

    // the key is in a file only its owner reads, and in no process's arguments
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(platform.secrets().keyFile())));
    String key = Files.readString(platform.secrets().keyFile()).strip();
    List<ServiceHandle> services = new ArrayList<>(platform.api().workers());
    services.add(platform.auth().service());
    services.add(platform.stats().service());
    for (ServiceHandle s : services) {
      String cmdline = Files.readString(Path.of("/proc/" + s.current().pid() + "/cmdline"));
      assertTrue(
          !cmdline.contains(key) && !cmdline.contains("alice-pw"), s.name() + ": " + cmdline);
    }
  }

  @Test
  void badJsonAndBadRequestsGetErrorsAndTheConnectionStays() throws Exception {
    IotClient c = IotClient.connect(http, platform.api().uri(), token("alice"), T);
    open.add(c);
    Map<String, String> cases =
        Map.of(
            "{not json", "bad JSON",
            "[1,2]", "want a JSON object",
            "{\"op\":\"fly\",\"id\":1}", "unknown op 'fly'",
            "{\"op\":\"set\",\"device\":\"lamp-1\",\"target\":{\"on\":true,\"brightness\":500}}",
                "target.brightness must be an integer from 0 to 100",
            "{\"op\":\"set\",\"device\":\"../x\",\"target\":{}}", "device must be a device id",
            "{\"op\":\"set\",\"device\":\"sousvide-1\",\"target\":{\"on\":true}}",
                "target.temp must be a number from 20 to 95");
    for (var e : cases.entrySet()) {
      c.sendText(e.getKey());
      ObjectNode reply = c.awaitEvent(m -> m.has("re") || m.has("error"), T);
      if (reply == null) {
        // replies with a numeric id are taken by the request machinery: ask again through it
        reply = c.request(Json.parseObject(e.getKey()), T);
      }
      assertEquals(false, reply.path("ok").asBoolean(), e.getKey() + " -> " + reply);
      assertTrue(
          reply.path("error").asText().startsWith(e.getValue()), e.getKey() + " -> " + reply);
    }
    assertTrue(c.list(T).path("ok").asBoolean(), "the connection still works");
  }

  @Test
  void malformedFramesAreAnsweredWithACloseCodeAndNoWorkerCrashes() throws Exception {
    Map<String, Integer> pids = new java.util.HashMap<>();
    platform.api().workers().forEach(w -> pids.put(w.name(), w.current().pid()));
    String token = token("alice");
    byte[] hello = "{\"op\":\"list\"}".getBytes(UTF_8);
    @SuppressWarnings("ArrayRecordComponent") // test data
    record Case(String what, int first, boolean masked, byte[] payload, int code) {}
    List<Case> cases =
        List.of(
            new Case("unmasked", 0x81, false, hello, 1002),
            new Case("reserved bits", 0xC1, true, hello, 1002),
            new Case("unknown opcode", 0x83, true, hello, 1002),
            new Case("bad UTF-8", 0x81, true, new byte[] {(byte) 0xC3, (byte) 0x28}, 1007),
            new Case("continuation first", 0x80, true, hello, 1002),
            new Case("fragmented ping", 0x09, true, new byte[0], 1002),
            new Case("too large", 0x81, true, new byte[20_000], 1009));
    for (Case k : cases) {
      try (RawWebSocket ws =
          new RawWebSocket(platform.api().address(), RawWebSocket.handshake(token))) {
        assertTrue(ws.responseHead.startsWith("HTTP/1.1 101"), ws.responseHead);
        ws.send(k.first(), k.masked(), k.payload());
        assertEquals(k.code(), ws.awaitClose(), k.what());
      }
    }
    try (RawWebSocket ws = new RawWebSocket(platform.api().address(), "HELLO THERE\r\n\r\n")) {
      assertTrue(ws.responseHead.startsWith("HTTP/1.1 400"), ws.responseHead);
    }
    try (RawWebSocket ws =
        new RawWebSocket(platform.api().address(), "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")) {
      assertTrue(ws.responseHead.startsWith("HTTP/1.1 401"), "no token: " + ws.responseHead);
    }
    try (RawWebSocket ws =
        new RawWebSocket(
            platform.api().address(),
            "GET /ws HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")) {
      assertTrue(ws.responseHead.startsWith("HTTP/1.1 426"), "no upgrade: " + ws.responseHead);
    }
    platform
        .api()
        .workers()
        .forEach(w -> assertEquals(pids.get(w.name()), w.current().pid(), w.name() + " restarted"));
    IotClient c = IotClient.connect(http, platform.api().uri(), token, T);
    open.add(c);
    assertTrue(c.list(T).path("ok").asBoolean());
  }
}
