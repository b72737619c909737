package dev.heddle.sim.internal.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.ListAppendChecker;
import dev.heddle.sim.internal.check.RwRegisterChecker;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransactionsTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void requestsAndRepliesUseMaelstromsTxnSchema() throws Exception {
    Workload w = Workloads.create("txn-list-append", List.of("n0"), "grid", "serializable");
    OpSpec op = new OpSpec("txn", json("[[\"r\",1,null],[\"append\",1,3]]"), false);
    assertEquals(
        "{\"type\":\"txn\",\"txn\":[[\"r\",1,null],[\"append\",1,3]]}", w.request(op).toString());
    assertEquals("txn_ok", w.okType("txn"));
    ObjectNode ok =
        (ObjectNode) json("{\"type\":\"txn_ok\",\"txn\":[[\"r\",1,[1,2]],[\"append\",1,3]]}");
    assertEquals("[[\"r\",1,[1,2]],[\"append\",1,3]]", String.valueOf(w.okValue(op, ok)));
    // a reply with other micro-ops than asked is malformed (the op completes as info)
    assertNull(w.okValue(op, (ObjectNode) json("{\"type\":\"txn_ok\",\"txn\":[[\"r\",1,[]]]}")));
    assertNull(
        w.okValue(
            op,
            (ObjectNode) json("{\"type\":\"txn_ok\",\"txn\":[[\"r\",2,[]],[\"append\",1,3]]}")));
    assertNull(w.okValue(op, (ObjectNode) json("{\"type\":\"txn_ok\"}")));
    assertEquals(false, w.idempotent("txn"));
    assertTrue(w.checker() instanceof ListAppendChecker);
    assertTrue(
        Workloads.create("txn-rw-register", List.of("n0"), "grid", "read-committed").checker()
            instanceof RwRegisterChecker);
    assertThrows(
        IllegalArgumentException.class,
        () -> Workloads.create("txn-rw-register", List.of("n0"), "grid", "acid"));
  }

  @Test
  void txnsHaveOneToFourMicroOpsAndEachKeysWritesAreUnique() {
    for (String name : List.of("txn-list-append", "txn-rw-register")) {
      Workload w = Workloads.create(name, List.of("n0"), "grid");
      SplittableRandom random = new SplittableRandom(7);
      Map<Long, Set<Long>> written = new HashMap<>();
      Map<Integer, Integer> lengths = new HashMap<>();
      for (int i = 0; i < 2000; i++) {
        OpSpec op = w.next(random);
        assertEquals("txn", op.f());
        JsonNode txn = Objects.requireNonNull(op.value());
        lengths.merge(txn.size(), 1, Integer::sum);
        for (JsonNode m : txn) {
          String f = m.get(0).asText();
          if (f.equals("r")) {
            assertTrue(m.get(2).isNull(), m.toString());
            continue;
          }
          assertEquals(name.equals("txn-list-append") ? "append" : "w", f);
          Set<Long> values = written.computeIfAbsent(m.get(1).longValue(), _ -> new HashSet<>());
          assertTrue(values.add(m.get(2).longValue()), "a value written twice: " + m);
          assertTrue(values.size() <= Transactions.MAX_WRITES_PER_KEY, m.toString());
        }
      }
      assertEquals(Set.of(1, 2, 3, 4), lengths.keySet(), name);
      assertTrue(written.size() > 50, "keys are retired for fresh ones: " + written.size());
    }
  }
}
