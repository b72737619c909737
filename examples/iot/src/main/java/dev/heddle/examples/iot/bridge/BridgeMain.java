package dev.heddle.examples.iot.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Args;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Mqtt;
import dev.heddle.examples.iot.wire.Redis;
import dev.heddle.examples.iot.wire.Store;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A device service for one device type: {@code BridgeMain --type lamp --redis HOST:PORT --mqtt URI
 * --devices ID:OWNER,… [--resend-ms N]}. Prints {@code bridge ready}.
 *
 * <p>Redis holds each device's desired state (target and version); this service delivers it to the
 * device as a retained QoS 1 MQTT message on {@code dev/ID/target}, and records what the device
 * reports on {@code dev/ID/state}. Delivery is at least once and converges: commands arrive by
 * Redis pub/sub ({@code cmd:TYPE}), and after every (re)connection to Redis or to the broker, and
 * every {@code --resend-ms} for a device whose report is behind its target, the service reads the
 * desired state from Redis and sends it again. Versions only grow, and devices ignore a version
 * they have applied, so repeats are harmless. All work runs on one thread, in order.
 */
public final class BridgeMain {
  private final String type;
  private final Store store;
  private final Map<String, String> owners;
  private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
  private final Map<String, Long> sent = new HashMap<>();
  private final Map<String, Long> reported = new HashMap<>();
  private volatile @org.jspecify.annotations.Nullable Mqtt mqtt;
  private boolean dirty = true;

  private BridgeMain(String type, Store store, Map<String, String> owners) {
    this.type = type;
    this.store = store;
    this.owners = owners;
  }

  public static void main(String[] args) throws Exception {
    Args a;
    Map<String, String> owners = new LinkedHashMap<>();
    try {
      a =
          Args.parse(
              args, List.of("--type", "--redis", "--mqtt", "--devices"), List.of("--resend-ms"));
      for (String d : a.get("--devices").split(",", -1)) {
        String[] p = d.split(":", 2);
        if (p.length != 2 || !Store.ID.matcher(p[0]).matches()) {
          throw new IllegalArgumentException("--devices wants ID:OWNER,…, not '" + d + "'");
        }
        owners.put(p[0], p[1]);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bridge: " + e.getMessage());
      System.exit(2);
      return;
    }
    String type = a.get("--type");
    Redis redis = Redis.of(a.get("--redis"));
    BridgeMain bridge = new BridgeMain(type, new Store(redis), owners);
    long resend = a.integer("--resend-ms", 2000);
    Redis.of(a.get("--redis"))
        .subscribe(
            List.of("cmd:" + type),
            () -> bridge.work.add(bridge::resyncAll),
            (channel, payload) -> bridge.work.add(() -> bridge.command(payload)));
    bridge.mqtt =
        Mqtt.connect(
            a.get("--mqtt"),
            "bridge-" + type,
            List.of("dev/+/state"),
            () -> bridge.work.add(bridge::resyncAll),
            (topic, payload) -> bridge.work.add(() -> bridge.state(topic, payload)));
    Thread.ofVirtual()
        .name("bridge/tick")
        .start(
            () -> {
              while (true) {
                try {
                  Thread.sleep(resend);
                } catch (InterruptedException e) {
                  return;
                }
                bridge.work.add(bridge::tick);
              }
            });
    bridge.work.add(bridge::resyncAll);
    bridge.work.add(() -> System.out.println("bridge ready: " + type + " " + owners.keySet()));
    while (true) {
      Runnable task = bridge.work.take();
      try {
        task.run();
      } catch (RuntimeException e) {
        System.err.println("bridge: " + e);
      }
      System.out.flush();
    }
  }

  /** A command from Redis pub/sub: send it unless a newer (or the same) version went out. */
  private void command(String payload) {
    ObjectNode c = Json.parseObject(payload);
    String id = c.path("device").asText("");
    long version = c.path("version").asLong(0);
    if (owners.containsKey(id) && version > sent.getOrDefault(id, 0L)) {
      send(id, version, c.path("target").toString());
    }
  }

  /** Registers every device and sends each its desired state (after any reconnection). */
  private void resyncAll() {
    try {
      for (Map.Entry<String, String> e : owners.entrySet()) {
        Store.Desired d = store.register(e.getKey(), e.getValue(), type);
        if (d.version() > 0) {
          send(e.getKey(), d.version(), d.target());
        }
      }
      dirty = false;
    } catch (java.io.IOException ex) {
      dirty = true;
      System.err.println("bridge: redis unavailable (" + ex.getMessage() + "); will retry");
    }
  }

  /** Every resend period: catch up after failures; resend to devices whose reports lag. */
  private void tick() {
    if (dirty) {
      resyncAll();
      return;
    }
    for (String id : owners.keySet()) {
      if (reported.getOrDefault(id, 0L) < sent.getOrDefault(id, 0L)) {
        try {
          Store.Desired d = store.desired(id);
          if (d.version() > 0) {
            send(id, d.version(), d.target());
          }
        } catch (java.io.IOException ex) {
          dirty = true;
          return;
        }
      }
    }
  }

  private void send(String id, long version, String target) {
    Mqtt m = mqtt;
    if (m == null) {
      dirty = true;
      return;
    }
    try {
      m.publish(
          "dev/" + id + "/target",
          "{\"version\":" + version + ",\"target\":" + target + "}",
          1,
          true);
      sent.merge(id, version, Math::max);
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      dirty = true;
      System.err.println("bridge: cannot send to " + id + " (" + e.getMessage() + "); will retry");
    }
  }

  /** A device's report: recorded in Redis (which publishes it to the workers and statistics). */
  private void state(String topic, String payload) {
    String[] parts = topic.split("/", 4);
    if (parts.length != 3 || !owners.containsKey(parts[1])) {
      return; // another type's device
    }
    ObjectNode s;
    try {
      s = Json.parseObject(payload);
    } catch (IllegalArgumentException e) {
      System.err.println("bridge: ignoring a malformed report from " + parts[1]);
      return;
    }
    reported.merge(parts[1], s.path("version").asLong(0), Math::max);
    try {
      store.reportState(parts[1], s.toString());
    } catch (java.io.IOException e) {
      dirty = true; // the report is lost; the device reports again soon
    }
  }
}
