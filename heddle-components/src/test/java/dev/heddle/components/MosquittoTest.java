package dev.heddle.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.junit.HeddleTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's Mosquitto, started, used through Paho, killed and restarted with its retained messages.
 */
@HeddleTest
class MosquittoTest {

  @BeforeEach
  void searchable(Path dir) throws Exception {
    TestDirs.searchable(dir);
  }

  @Test
  void publishesToSubscribers(Scope scope, Host host, Path dir) throws Exception {
    Mqtt mqtt = Mosquitto.start(scope, host, dir.resolve("mqtt"));
    MqttClient sub = connect(mqtt, "sub");
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    sub.subscribe("orders/#", 1, (topic, m) -> got.add(topic + "=" + text(m.getPayload())));
    MqttClient pub = connect(mqtt, "pub");
    pub.publish("orders/1", "BUY".getBytes(StandardCharsets.UTF_8), 1, false);
    assertEquals("orders/1=BUY", got.poll(10, TimeUnit.SECONDS));
    pub.disconnect();
    sub.disconnect();
  }

  @Test
  void keepsRetainedMessagesAcrossKillNine(Scope scope, Host host, Path dir) throws Exception {
    ReadyEvents events = new ReadyEvents(scope);
    Mqtt mqtt = Mosquitto.start(scope, host, dir.resolve("mqtt"));
    MqttClient pub = connect(mqtt, "pub");
    pub.publish("status", "up".getBytes(StandardCharsets.UTF_8), 1, true);
    pub.disconnect();
    awaitFile(mqtt.dataDir().resolve("mosquitto.db")); // saved after the change, not before PUBACK
    int before = mqtt.service().current().pid();
    events.killAndAwaitRestart(mqtt.service());
    assertNotEquals(before, mqtt.service().current().pid());
    assertEquals("up", retained(mqtt, "status"));
  }

  @Test
  void twoInstancesSideBySide(Scope scope, Host host, Path dir) throws Exception {
    Mqtt a = Mosquitto.start(scope, host, dir.resolve("a"));
    Mqtt b = Mosquitto.start(scope, host, dir.resolve("b"));
    assertNotEquals(a.port(), b.port());
    MqttClient pa = connect(a, "pa");
    pa.publish("who", "a".getBytes(StandardCharsets.UTF_8), 1, true);
    pa.disconnect();
    MqttClient pb = connect(b, "pb");
    pb.publish("who", "b".getBytes(StandardCharsets.UTF_8), 1, true);
    pb.disconnect();
    assertEquals("a", retained(a, "who"));
    assertEquals("b", retained(b, "who"));
  }

  @Test
  void missingBinaryNamesTheDebianPackage(Scope scope, Host host, Path dir) {
    var e =
        assertThrows(
            HeddleException.class,
            () ->
                Mosquitto.start(scope, host, dir.resolve("m"), Path.of("/nonexistent/mosquitto")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("apt-get install mosquitto"), e.getMessage());
  }

  @Test
  void unwritableDataDirIsAClearError(Scope scope, Host host, Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    var e =
        assertThrows(
            HeddleException.class, () -> Mosquitto.start(scope, host, file.resolve("data")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("as mosquitto's data directory"), e.getMessage());
  }

  private static MqttClient connect(Mqtt mqtt, String id) throws MqttException {
    MqttClient c = new MqttClient(mqtt.uri(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setConnectionTimeout(5);
    c.connect(o);
    return c;
  }

  /** The message retained on {@code topic}, as a new subscriber receives it (10 s at most). */
  private static String retained(Mqtt mqtt, String topic) throws Exception {
    MqttClient c = connect(mqtt, "reader");
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    c.subscribe(topic, 1, (t, m) -> got.add(text(m.getPayload())));
    String message = got.poll(10, TimeUnit.SECONDS);
    c.disconnect();
    c.close();
    assertTrue(message != null, "no retained message on " + topic);
    return message;
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " not written within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
