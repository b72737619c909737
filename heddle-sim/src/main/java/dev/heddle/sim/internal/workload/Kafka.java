package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.KafkaChecker;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's kafka workload: {@code send {key, msg}} → {@code send_ok {offset}}, {@code poll
 * {offsets}} → {@code poll_ok {msgs: {key: [[offset, msg], …]}}}, {@code commit_offsets {offsets}}
 * → {@code commit_offsets_ok}, {@code list_committed_offsets {keys}} → {@code
 * list_committed_offsets_ok {offsets}}.
 *
 * <p>History values: send {@code [key, msg]}, completed {@code [key, [offset, msg]]}; poll the
 * offsets asked for, completed the {@code msgs} map; commit_offsets the offsets; list the keys,
 * completed the offsets map. A few keys; each send carries the next value of its key (1, 2, …), so
 * messages are unique and increasing per key. The clients share one consumer position per key (the
 * offset after the last message any poll returned): a poll asks from there, a commit commits the
 * last offset polled. So ops depend on what the nodes answered, as in Maelstrom. The final phase
 * polls every key from offset 0 once per worker.
 */
final class Kafka implements Workload {
  /** The keys in use. */
  static final int KEYS = 3;

  private final Map<String, Long> position = new TreeMap<>();
  private final Map<String, Long> nextMsg = new TreeMap<>();

  Kafka() {
    for (int k = 0; k < KEYS; k++) {
      position.put(Integer.toString(k), 0L);
      nextMsg.put(Integer.toString(k), 1L);
    }
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    int dice = random.nextInt(10);
    if (dice < 5) {
      String key = Integer.toString(random.nextInt(KEYS));
      long msg = nextMsg.merge(key, 1L, Long::sum) - 1;
      return new OpSpec("send", Json.MAPPER.createArrayNode().add(key).add(msg), false);
    }
    ObjectNode polled = Json.object();
    position.forEach(
        (k, p) -> {
          if (p > 0) {
            polled.put(k, p - 1);
          }
        });
    if (dice == 8 && !polled.isEmpty()) {
      return new OpSpec("commit_offsets", polled, false);
    }
    if (dice == 9) {
      ArrayNode keys = Json.MAPPER.createArrayNode();
      position.keySet().forEach(keys::add);
      return new OpSpec("list_committed_offsets", keys, false);
    }
    return new OpSpec("poll", Json.MAPPER.valueToTree(position), false);
  }

  @Override
  public OpSpec finalOp() {
    ObjectNode fromStart = Json.object();
    position.keySet().forEach(k -> fromStart.put(k, 0));
    return new OpSpec("poll", fromStart, true);
  }

  @Override
  public ObjectNode request(OpSpec op) {
    JsonNode value = Objects.requireNonNull(op.value(), "a kafka op has a value");
    ObjectNode body = Json.object().put("type", op.f());
    switch (op.f()) {
      case "send" -> {
        body.set("key", value.get(0));
        body.set("msg", value.get(1));
      }
      case "list_committed_offsets" -> body.set("keys", value);
      default -> body.set("offsets", value);
    }
    return body;
  }

  @Override
  public String okType(String f) {
    return f + "_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    JsonNode value = Objects.requireNonNull(op.value(), "a kafka op has a value");
    return switch (op.f()) {
      case "send" -> {
        JsonNode offset = reply.get("offset");
        yield offset == null || !offset.canConvertToLong()
            ? null
            : Json.MAPPER
                .createArrayNode()
                .add(value.get(0))
                .add(Json.MAPPER.createArrayNode().add(offset.asLong()).add(value.get(1)));
      }
      case "poll" -> {
        JsonNode msgs = reply.get("msgs");
        if (msgs == null || KafkaChecker.badMsgs(msgs) != null) {
          yield null;
        }
        advance(msgs);
        yield msgs;
      }
      case "list_committed_offsets" -> {
        JsonNode offsets = reply.get("offsets");
        yield offsets != null && KafkaChecker.badOffsets("offsets", offsets) == null
            ? offsets
            : null;
      }
      default -> value;
    };
  }

  /** Moves the shared positions past the last offset a poll returned. */
  private void advance(JsonNode msgs) {
    for (Map.Entry<String, JsonNode> e : msgs.properties()) {
      Long at = position.get(e.getKey());
      JsonNode list = e.getValue();
      if (at == null || !list.isArray() || list.isEmpty()) {
        continue;
      }
      JsonNode last = list.get(list.size() - 1);
      if (last.isArray() && last.path(0).canConvertToLong()) {
        position.put(e.getKey(), Math.max(at, last.get(0).asLong() + 1));
      }
    }
  }

  @Override
  public boolean idempotent(String f) {
    return f.equals("list_committed_offsets");
  }

  @Override
  public Checker checker() {
    return new KafkaChecker();
  }
}
