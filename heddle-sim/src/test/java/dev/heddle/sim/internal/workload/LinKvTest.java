package dev.heddle.sim.internal.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinKvTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void requestsUseMaelstromsSchemas() throws Exception {
    LinKv w = new LinKv();
    assertEquals(
        "{\"type\":\"read\",\"key\":3}",
        w.request(new OpSpec("read", json("[3, null]"), false)).toString());
    assertEquals(
        "{\"type\":\"write\",\"key\":3,\"value\":4}",
        w.request(new OpSpec("write", json("[3, 4]"), false)).toString());
    assertEquals(
        "{\"type\":\"cas\",\"key\":3,\"from\":1,\"to\":2}",
        w.request(new OpSpec("cas", json("[3, [1, 2]]"), false)).toString());
    assertEquals("cas_ok", w.okType("cas"));
    assertEquals("write_ok", w.okType("write"));
  }

  @Test
  void aReadRecordsTheKeyAndTheValueRead() throws Exception {
    LinKv w = new LinKv();
    OpSpec read = new OpSpec("read", json("[3, null]"), false);
    ObjectNode reply = (ObjectNode) json("{\"type\":\"read_ok\",\"value\":4,\"in_reply_to\":1}");
    assertEquals("[3,4]", String.valueOf(w.okValue(read, reply)));
    assertNull(w.okValue(read, (ObjectNode) json("{\"type\":\"read_ok\"}")));
    assertTrue(w.idempotent("read"));
    assertEquals(false, w.idempotent("cas"));
    assertEquals(1_000_000_000L, w.rpcTimeoutNanos(0));
    assertEquals(2_000_000_000L, w.rpcTimeoutNanos(200));
  }

  @Test
  void opsSpreadOverAFewKeysEachUsedAboutTwentyTimes() {
    LinKv w = new LinKv();
    SplittableRandom random = new SplittableRandom(1);
    Map<Long, Integer> perKey = new HashMap<>();
    Map<String, Integer> perF = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      OpSpec op = w.next(random);
      JsonNode v = java.util.Objects.requireNonNull(op.value());
      perKey.merge(v.get(0).longValue(), 1, Integer::sum);
      perF.merge(op.f(), 1, Integer::sum);
      JsonNode arg = v.get(1);
      switch (op.f()) {
        case "read" -> assertTrue(arg.isNull());
        case "write" -> assertTrue(arg.asInt() >= 0 && arg.asInt() < 5);
        default -> assertTrue(arg.get(0).asInt() < 5 && arg.get(1).asInt() < 5);
      }
    }
    perKey.forEach(
        (key, count) -> assertTrue(count <= 20, "key " + key + " got " + count + " ops"));
    assertTrue(perKey.size() >= 100 && perKey.size() <= 115, perKey.size() + " keys");
    assertTrue(perF.get("read") > 900 && perF.get("read") < 1100, perF.toString());
    assertTrue(perF.get("cas") > perF.get("write"), perF.toString());
  }
}
