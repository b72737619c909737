package dev.heddle.examples.iot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Redis;
import dev.heddle.examples.iot.wire.Store;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * This worker's connections by user, and the Redis subscription that joins the workers: every
 * change, made through any worker (or reported by a device), is published on channel {@code
 * updates} by the script that made it; each worker pushes it to its own connections of that user.
 * After a lost subscription (Redis restarted) each connection gets a fresh snapshot, since updates
 * published in the gap were missed.
 */
final class Hub {
  private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
  private final Store store;
  private final CountDownLatch subscribed = new CountDownLatch(1);

  Hub(Redis redis, Store store) {
    this.store = store;
    redis.subscribe(List.of("updates"), this::resync, (channel, payload) -> deliver(payload));
  }

  /** Blocks until the first subscription is in place. */
  void awaitSubscribed() throws InterruptedException {
    subscribed.await();
  }

  void join(String user, Session s) {
    byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(s);
  }

  void leave(String user, Session s) {
    byUser.computeIfPresent(user, (u, set) -> set.remove(s) && set.isEmpty() ? null : set);
  }

  private void deliver(String payload) {
    ObjectNode update;
    try {
      update = Json.parseObject(payload);
    } catch (IllegalArgumentException e) {
      System.err.println("api: ignoring a malformed update: " + e.getMessage());
      return;
    }
    Set<Session> sessions = byUser.get(update.path("user").asText(""));
    if (sessions == null || sessions.isEmpty()) {
      return;
    }
    JsonNode device = update.path("device");
    String push =
        Json.object("event", "device", "kind", update.path("kind").asText(""), "device", device)
            .toString();
    for (Session s : sessions) {
      s.send(push);
    }
  }

  private void resync() {
    if (subscribed.getCount() > 0) {
      subscribed.countDown();
      return; // the first subscription: no connection can have missed anything yet
    }
    for (Map.Entry<String, Set<Session>> e : byUser.entrySet()) {
      try {
        String push = "{\"event\":\"devices\",\"devices\":" + store.list(e.getKey()) + "}";
        for (Session s : e.getValue()) {
          s.send(push);
        }
      } catch (IOException ex) {
        System.err.println("api: cannot resync " + e.getKey() + ": " + ex.getMessage());
      }
    }
  }
}
