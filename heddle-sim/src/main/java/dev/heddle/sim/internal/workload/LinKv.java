package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.LinearizabilityChecker;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's lin-kv workload: {@code read {key}} → {@code read_ok {value}}, {@code write {key,
 * value}} → {@code write_ok}, {@code cas {key, from, to}} → {@code cas_ok}; errors 20
 * (key-does-not-exist) and 22 (precondition-failed) are definite. Ops are Jepsen's independent
 * tuples: the value is {@code [key, v]}, with {@code v} a {@code [from, to]} pair for cas and null
 * for a read's invocation.
 *
 * <p>As Jepsen's linearizable-register test: about half reads, the rest one write to two cas,
 * values 0..4; {@link #ACTIVE_KEYS} keys are in use at once, each retired for a fresh key after
 * 18..20 ops (the per-key limit of 20 randomised to 0.9–1.0×). Checked per key for linearizability.
 */
final class LinKv implements Workload {
  /** How many keys receive ops at the same time. */
  static final int ACTIVE_KEYS = 2;

  private static final int PER_KEY_LIMIT = 20;

  private final long[] keys = new long[ACTIVE_KEYS];
  private final int[] remaining = new int[ACTIVE_KEYS];
  private long nextKey;

  LinKv() {
    for (int i = 0; i < ACTIVE_KEYS; i++) {
      keys[i] = nextKey++;
    }
  }

  @Override
  public String name() {
    return "lin-kv";
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    int slot = random.nextInt(ACTIVE_KEYS);
    if (remaining[slot] == 0) {
      remaining[slot] = (int) Math.ceil(PER_KEY_LIMIT * (0.9 + 0.1 * random.nextDouble()));
    }
    long key = keys[slot];
    if (--remaining[slot] == 0) {
      keys[slot] = nextKey++;
    }
    ArrayNode value = Json.MAPPER.createArrayNode().add(key);
    int dice = random.nextInt(6);
    if (dice < 3) {
      value.addNull();
      return new OpSpec("read", value, false);
    }
    if (dice == 3) {
      value.add(random.nextInt(5));
      return new OpSpec("write", value, false);
    }
    value.addArray().add(random.nextInt(5)).add(random.nextInt(5));
    return new OpSpec("cas", value, false);
  }

  @Override
  public @Nullable OpSpec finalOp() {
    return null;
  }

  @Override
  public ObjectNode request(OpSpec op) {
    JsonNode value = java.util.Objects.requireNonNull(op.value(), "a lin-kv op has a value");
    ObjectNode body = Json.object().put("type", op.f());
    body.set("key", value.get(0));
    switch (op.f()) {
      case "write" -> body.set("value", value.get(1));
      case "cas" -> {
        body.set("from", value.get(1).get(0));
        body.set("to", value.get(1).get(1));
      }
      default -> {}
    }
    return body;
  }

  @Override
  public String okType(String f) {
    return f + "_ok";
  }

  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    JsonNode value = java.util.Objects.requireNonNull(op.value(), "a lin-kv op has a value");
    if (!op.f().equals("read")) {
      return value;
    }
    JsonNode read = reply.get("value");
    return read == null ? null : Json.MAPPER.createArrayNode().add(value.get(0)).add(read);
  }

  @Override
  public boolean idempotent(String f) {
    return f.equals("read");
  }

  @Override
  public long rpcTimeoutNanos(double latencyMillis) {
    // Maelstrom's lin-kv client: max(10 × mean latency, 1 s).
    return (long) (Math.max(10 * latencyMillis, 1000) * 1_000_000);
  }

  @Override
  public Checker checker() {
    return new LinearizabilityChecker();
  }
}
