package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.KafkaChecker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * messages are unique and increasing per key. Each worker keeps its own position per key, as
 * Maelstrom's clients: a poll asks from there and moves it past the last message returned; a commit
 * commits the last offset the worker polled, for the keys where that is above every commit so far
 * (so commits only move forward, whether a node keeps the last or the largest); a listing of
 * committed offsets moves the worker to just after them (Maelstrom's assign). So ops depend on what
 * the nodes answered, as in Maelstrom. The final phase polls every key from offset 0 once per
 * worker.
 */
final class Kafka implements Workload {
  /** The keys in use. */
  static final int KEYS = 3;

  private final List<String> keys = new ArrayList<>();
  private final Map<String, Long> nextMsg = new TreeMap<>();
  private final Map<Integer, Map<String, Long>> positions = new HashMap<>();
  private final Map<String, Long> committed = new HashMap<>();

  Kafka() {
    for (int k = 0; k < KEYS; k++) {
      keys.add(Integer.toString(k));
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
      String key = keys.get(random.nextInt(KEYS));
      long msg = nextMsg.merge(key, 1L, Long::sum) - 1;
      return new OpSpec("send", Json.MAPPER.createArrayNode().add(key).add(msg), false);
    }
    if (dice == 9) {
      ArrayNode all = Json.MAPPER.createArrayNode();
      keys.forEach(all::add);
      return new OpSpec("list_committed_offsets", all, false);
    }
    // the worker's positions are filled in by bind
    return new OpSpec(dice == 8 ? "commit_offsets" : "poll", null, false);
  }

  @Override
  public OpSpec finalOp() {
    ObjectNode fromStart = Json.object();
    keys.forEach(k -> fromStart.put(k, 0));
    return new OpSpec("poll", fromStart, true);
  }

  @Override
  public OpSpec bind(OpSpec op, int worker) {
    if (op.value() != null) {
      return op;
    }
    Map<String, Long> at = position(worker);
    if (op.f().equals("commit_offsets")) {
      ObjectNode polled = Json.object();
      at.forEach(
          (k, p) -> {
            if (p - 1 > committed.getOrDefault(k, -1L)) {
              polled.put(k, p - 1);
              committed.put(k, p - 1);
            }
          });
      if (!polled.isEmpty()) {
        return new OpSpec("commit_offsets", polled, false);
      }
    }
    return new OpSpec("poll", Json.MAPPER.valueToTree(at), false);
  }

  private Map<String, Long> position(int worker) {
    return positions.computeIfAbsent(
        worker,
        _ -> {
          Map<String, Long> m = new TreeMap<>();
          keys.forEach(k -> m.put(k, 0L));
          return m;
        });
  }

  @Override
  public void completed(int worker, OpSpec op, @Nullable JsonNode okValue) {
    if (okValue == null || op.isFinal()) {
      return;
    }
    Map<String, Long> at = position(worker);
    if (op.f().equals("poll")) {
      for (Map.Entry<String, JsonNode> e : okValue.properties()) {
        JsonNode list = e.getValue();
        if (at.containsKey(e.getKey()) && !list.isEmpty()) {
          at.put(e.getKey(), list.get(list.size() - 1).get(0).asLong() + 1);
        }
      }
    } else if (op.f().equals("list_committed_offsets")) {
      okValue
          .properties()
          .forEach(e -> at.computeIfPresent(e.getKey(), (k, p) -> e.getValue().asLong() + 1));
    }
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
        yield msgs == null || KafkaChecker.badMsgs(msgs) != null ? null : msgs;
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

  @Override
  public boolean idempotent(String f) {
    return f.equals("list_committed_offsets");
  }

  @Override
  public Checker checker() {
    return new KafkaChecker();
  }
}
