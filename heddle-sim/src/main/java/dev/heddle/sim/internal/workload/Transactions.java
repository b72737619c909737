package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.ListAppendChecker;
import dev.heddle.sim.internal.check.RwRegisterChecker;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's transactional workloads, txn-list-append and txn-rw-register: {@code txn {txn: [[f,
 * k, v]…]}} → {@code txn_ok {txn: […]}} with each read's value filled in (a list, or the register's
 * value; null for a missing key). Error 30 (txn-conflict) is definite, so an aborted txn fails.
 * Micro-ops are {@code ["r", k, null]} and {@code ["append", k, v]} or {@code ["w", k, v]}; the
 * values written to a key are 1, 2, 3…, so each is unique.
 *
 * <p>As Elle's generators: {@link #ACTIVE_KEYS} keys in use at once, 1..{@link #MAX_TXN_LENGTH}
 * micro-ops per txn, each a read or a write of an active key with even odds, and a key retired for
 * a fresh one after {@link #MAX_WRITES_PER_KEY} writes (Maelstrom's defaults). Checked by the
 * Elle-style checkers for the chosen consistency models.
 */
final class Transactions implements Workload {
  static final int ACTIVE_KEYS = 3;
  static final int MAX_TXN_LENGTH = 4;
  static final int MAX_WRITES_PER_KEY = 16;

  private final String name;
  private final String write;
  private final String models;
  private final long[] keys = new long[ACTIVE_KEYS];
  private final int[] written = new int[ACTIVE_KEYS];
  private long nextKey;

  /**
   * A transactional workload.
   *
   * @param name txn-list-append or txn-rw-register
   * @param models the consistency models to check, comma-separated
   */
  Transactions(String name, String models) {
    this.name = name;
    this.write = name.equals("txn-list-append") ? "append" : "w";
    this.models = models;
    var _ = checker(); // rejects unknown models now rather than after the run
    for (int i = 0; i < ACTIVE_KEYS; i++) {
      keys[i] = nextKey++;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public OpSpec next(SplittableRandom random) {
    ArrayNode txn = Json.MAPPER.createArrayNode();
    int length = 1 + random.nextInt(MAX_TXN_LENGTH);
    for (int i = 0; i < length; i++) {
      int slot = random.nextInt(ACTIVE_KEYS);
      long key = keys[slot];
      if (random.nextBoolean()) {
        txn.addArray().add("r").add(key).addNull();
        continue;
      }
      txn.addArray().add(write).add(key).add(++written[slot]);
      if (written[slot] == MAX_WRITES_PER_KEY) {
        keys[slot] = nextKey++;
        written[slot] = 0;
      }
    }
    return new OpSpec("txn", txn, false);
  }

  @Override
  public @Nullable OpSpec finalOp() {
    return null;
  }

  @Override
  public ObjectNode request(OpSpec op) {
    ObjectNode body = Json.object().put("type", "txn");
    body.set("txn", Objects.requireNonNull(op.value(), "a txn op has a value"));
    return body;
  }

  @Override
  public String okType(String f) {
    return "txn_ok";
  }

  /** Returns the reply's txn when it has one micro-op of the same f and key per request's. */
  @Override
  public @Nullable JsonNode okValue(OpSpec op, ObjectNode reply) {
    JsonNode request = Objects.requireNonNull(op.value(), "a txn op has a value");
    JsonNode txn = reply.get("txn");
    if (txn == null || !txn.isArray() || txn.size() != request.size()) {
      return null;
    }
    for (int i = 0; i < request.size(); i++) {
      JsonNode m = txn.get(i);
      JsonNode asked = request.get(i);
      if (!m.isArray()
          || m.size() != 3
          || !m.get(0).equals(asked.get(0))
          || !Json.canonical(m.get(1)).equals(Json.canonical(asked.get(1)))) {
        return null;
      }
    }
    return txn;
  }

  @Override
  public boolean idempotent(String f) {
    return false;
  }

  @Override
  public Checker checker() {
    return name.equals("txn-list-append")
        ? new ListAppendChecker(models)
        : new RwRegisterChecker(models);
  }
}
