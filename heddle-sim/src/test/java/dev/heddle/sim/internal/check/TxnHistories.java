package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random txn-list-append and txn-rw-register histories of an atomic database: each txn takes effect
 * at once, at a random point between its invocation and its completion, so the history is strict
 * serializable by construction. As the workload: 1..4 micro-ops, reads and writes with even odds
 * over a few active keys, each retired after 16 writes; about 2% of txns fail (txn-conflict,
 * without effect) and 2% complete as info, half of them having taken effect. Used by {@link
 * TxnBench}.
 */
final class TxnHistories {
  private static final int ACTIVE_KEYS = 8;
  private static final int WRITES_PER_KEY = 16;

  private TxnHistories() {}

  private static final class Client {
    int process;
    ArrayNode txn = Json.MAPPER.createArrayNode();
    boolean busy;
    boolean applied;
    Op.Type outcome = Op.Type.OK;
    JsonNode result = Json.MAPPER.createArrayNode();
  }

  /** The generator's state: active keys, their write counts, and the database. */
  private static final class Db {
    final long[] keys = new long[ACTIVE_KEYS];
    final int[] written = new int[ACTIVE_KEYS];
    long nextKey = ACTIVE_KEYS;
    final Map<Long, ArrayNode> lists = new HashMap<>();
    final Map<Long, Integer> registers = new HashMap<>();
    final boolean append;

    Db(boolean append) {
      this.append = append;
      for (int i = 0; i < ACTIVE_KEYS; i++) {
        keys[i] = i;
      }
    }
  }

  /**
   * Returns a history of {@code txns} txns by {@code clients} clients.
   *
   * @param write {@code append} for list-append, {@code w} for rw-register
   */
  static List<Op> valid(SplittableRandom random, int txns, int clients, String write) {
    History h = new History();
    Db db = new Db(write.equals("append"));
    List<Client> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client();
      c.process = i;
      cs.add(c);
    }
    int invoked = 0;
    int busy = 0;
    long time = 0;
    while (invoked < txns || busy > 0) {
      time += 1 + random.nextInt(1_000_000);
      Client c = cs.get(random.nextInt(clients));
      if (!c.busy) {
        if (invoked == txns) {
          continue;
        }
        invoked++;
        busy++;
        invoke(c, random, db, write);
        h.append(Op.Type.INVOKE, "txn", c.txn, c.process, time, null, false, null);
      } else if (!c.applied) {
        apply(c, random, db);
      } else {
        JsonNode value = c.outcome == Op.Type.OK ? c.result : c.txn;
        h.append(c.outcome, "txn", value, c.process, time, null, false, null);
        c.busy = false;
        busy--;
        if (c.outcome == Op.Type.INFO) {
          c.process += clients;
        }
      }
    }
    return new ArrayList<>(h.ops());
  }

  private static void invoke(Client c, SplittableRandom random, Db db, String write) {
    c.busy = true;
    c.applied = false;
    c.txn = Json.MAPPER.createArrayNode();
    int length = 1 + random.nextInt(4);
    for (int i = 0; i < length; i++) {
      int slot = random.nextInt(ACTIVE_KEYS);
      long key = db.keys[slot];
      if (random.nextBoolean()) {
        c.txn.addArray().add("r").add(key).addNull();
        continue;
      }
      c.txn.addArray().add(write).add(key).add(++db.written[slot]);
      if (db.written[slot] == WRITES_PER_KEY) {
        db.keys[slot] = db.nextKey++;
        db.written[slot] = 0;
      }
    }
  }

  private static void apply(Client c, SplittableRandom random, Db db) {
    c.applied = true;
    int dice = random.nextInt(100);
    c.outcome = dice < 2 ? Op.Type.FAIL : dice < 4 ? Op.Type.INFO : Op.Type.OK;
    if (c.outcome == Op.Type.FAIL || (c.outcome == Op.Type.INFO && dice == 3)) {
      return; // aborted, or lost before it took effect
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode m : c.txn) {
      long key = m.get(1).asLong();
      String f = m.get(0).asText();
      switch (f) {
        case "r" -> {
          ArrayNode r = out.addArray().add("r").add(key);
          if (db.append) {
            ArrayNode list = db.lists.get(key);
            r.add(list == null ? Json.MAPPER.nullNode() : list.deepCopy());
          } else {
            Integer v = db.registers.get(key);
            r.add(v == null ? Json.MAPPER.nullNode() : Json.MAPPER.valueToTree(v));
          }
        }
        case "append" -> {
          db.lists.computeIfAbsent(key, _ -> Json.MAPPER.createArrayNode()).add(m.get(2));
          out.add(m);
        }
        default -> {
          db.registers.put(key, m.get(2).asInt());
          out.add(m);
        }
      }
    }
    c.result = out;
  }

  /**
   * Makes some ok reads of a list-append history stale, in place: with the given chance, a read of
   * a non-empty list loses its last element (anomalies with rw and real-time edges).
   */
  static List<Op> staleReads(List<Op> history, SplittableRandom random, double chance) {
    for (Op op : history) {
      if (op.type() != Op.Type.OK || op.value() == null) {
        continue;
      }
      for (JsonNode m : op.value()) {
        if (m.get(2) instanceof ArrayNode list && !list.isEmpty() && random.nextDouble() < chance) {
          list.remove(list.size() - 1);
        }
      }
    }
    return history;
  }
}
