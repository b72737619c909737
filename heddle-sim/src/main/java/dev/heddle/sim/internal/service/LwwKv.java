package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.net.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code lww-kv}: an eventually consistent store as Maelstrom's code has it: two replicas; each
 * request first merges one random replica into another (last write wins by Lamport timestamp), then
 * runs on a random replica. cas does not honour {@code create_if_not_exists}.
 */
final class LwwKv extends Service {
  private final SplittableRandom random;
  private final List<Map<JsonNode, JsonNode>> views = List.of(new HashMap<>(), new HashMap<>());
  private final List<Map<JsonNode, Long>> stamps = List.of(new HashMap<>(), new HashMap<>());
  private long clock;

  LwwKv(Network network, SplittableRandom random) {
    super("lww-kv", network);
    this.random = random;
  }

  @Override
  ObjectNode handle(String src, ObjectNode body) {
    merge(random.nextInt(2), random.nextInt(2));
    int r = random.nextInt(2);
    Map<JsonNode, JsonNode> view = views.get(r);
    Map<JsonNode, JsonNode> before = new HashMap<>(view);
    ObjectNode reply = KvOps.apply(view, body, false);
    long ts = ++clock;
    view.forEach(
        (k, v) -> {
          if (!v.equals(before.get(k))) {
            stamps.get(r).put(k, ts);
          }
        });
    return reply;
  }

  private void merge(int from, int to) {
    if (from == to) {
      return;
    }
    stamps
        .get(from)
        .forEach(
            (k, ts) -> {
              if (ts > stamps.get(to).getOrDefault(k, -1L)) {
                views.get(to).put(k, views.get(from).get(k));
                stamps.get(to).put(k, ts);
              }
            });
  }
}
