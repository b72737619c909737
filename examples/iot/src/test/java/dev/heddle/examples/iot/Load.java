package dev.heddle.examples.iot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.client.IotClient;
import dev.heddle.examples.iot.wire.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer per device, each on its own connection: sets a new target again and again, records
 * every acknowledged one, reconnects when its connection breaks, and retries after an error reply.
 * Acknowledged versions of one device must only grow: a repeat would mean Redis lost a write it had
 * acknowledged.
 */
final class Load {
  /** An acknowledged set-target. */
  record Ack(String device, long version, ObjectNode target) {}

  final Map<String, Ack> last = new ConcurrentHashMap<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final AtomicLong acked = new AtomicLong();
  final AtomicInteger broken = new AtomicInteger();

  /** Connections made again after one closed or broke (under a request or between requests). */
  final AtomicInteger reconnects = new AtomicInteger();

  final AtomicInteger errors = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean stop;

  /** Where the writers' first connections must land (a worker's name), or null: anywhere. */
  private final @org.jspecify.annotations.Nullable String firstWorker;

  Load(HttpClient http, String uri, String token, Map<String, String> devicesByType) {
    this(http, uri, token, devicesByType, null);
  }

  /**
   * Writers whose first connections land on {@code firstWorker} (the workers share one socket, so a
   * writer reconnects until its connection's hello names that worker): a kill of that worker then
   * surely breaks them.
   */
  Load(
      HttpClient http,
      String uri,
      String token,
      Map<String, String> devicesByType,
      @org.jspecify.annotations.Nullable String firstWorker) {
    this.firstWorker = firstWorker;
    devicesByType.forEach(
        (device, type) ->
            writers.add(
                Thread.ofVirtual()
                    .name("load/" + device)
                    .start(() -> write(http, uri, token, device, type))));
  }

  static ObjectNode target(String type, int i) {
    return type.equals("lamp")
        ? Json.object("on", i % 2 == 0, "brightness", i % 101)
        : Json.object("on", true, "temp", 40.0 + i % 50);
  }

  private void write(HttpClient http, String uri, String token, String device, String type) {
    IotClient c = null;
    int i = 0;
    long lastVersion = 0;
    while (!stop) {
      try {
        if (c == null || c.isClosed()) {
          if (i > 0) {
            reconnects.incrementAndGet();
          }
          c = IotClient.connect(http, uri, token, Duration.ofSeconds(10));
          for (int tries = 0;
              i == 0 && firstWorker != null && !c.worker().equals(firstWorker) && tries < 60;
              tries++) {
            c.close();
            c = IotClient.connect(http, uri, token, Duration.ofSeconds(10));
          }
        }
        ObjectNode target = target(type, ++i);
        ObjectNode r = c.set(device, target, Duration.ofSeconds(10));
        if (r.path("ok").asBoolean()) {
          long v = r.path("version").asLong();
          if (v <= lastVersion) {
            violations.add(device + ": acknowledged version " + v + " after " + lastVersion);
          }
          lastVersion = v;
          last.put(device, new Ack(device, v, target));
          acked.incrementAndGet();
        } else {
          errors.incrementAndGet(); // storage unavailable: not acknowledged, send again
          Thread.sleep(50);
        }
        Thread.sleep(20);
      } catch (IOException e) {
        broken.incrementAndGet();
        if (c != null) {
          c.close();
        }
        c = null;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
    if (c != null) {
      c.close();
    }
  }

  /** Stops the writers (each finishes its request in flight). */
  void stop() throws InterruptedException {
    stop = true;
    for (Thread t : writers) {
      t.join(15_000);
    }
  }
}
