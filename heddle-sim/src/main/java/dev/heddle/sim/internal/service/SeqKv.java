package dev.heddle.sim.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.net.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code seq-kv}: a sequentially consistent store, as Maelstrom's. It keeps the last 32 states; a
 * read may observe any state at or after the last one its client observed (so reads can be stale),
 * while a write or cas applies to the newest state and moves its client there.
 */
final class SeqKv extends Service {
  private static final int KEEP = 32;
  private final SplittableRandom random;
  private final List<Map<JsonNode, JsonNode>> states = new ArrayList<>();
  private final Map<String, Long> observed = new HashMap<>();
  private long newest;

  SeqKv(Network network, SplittableRandom random) {
    super("seq-kv", network);
    this.random = random;
    states.add(new HashMap<>());
  }

  @Override
  ObjectNode handle(String src, ObjectNode body) {
    long oldest = newest - states.size() + 1;
    long seen = Math.max(observed.getOrDefault(src, oldest), oldest);
    if (KvOps.readOnly(body)) {
      long at = seen + random.nextLong(newest - seen + 1);
      observed.put(src, at);
      return KvOps.apply(new HashMap<>(state(at)), body, true);
    }
    Map<JsonNode, JsonNode> next = new HashMap<>(state(newest));
    ObjectNode reply = KvOps.apply(next, body, true);
    if (!next.equals(state(newest))) {
      states.add(next);
      newest++;
      if (states.size() > KEEP) {
        states.removeFirst();
      }
    }
    observed.put(src, newest);
    return reply;
  }

  private Map<JsonNode, JsonNode> state(long index) {
    return states.get((int) (index - (newest - states.size() + 1)));
  }
}
