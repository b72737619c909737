package dev.heddle.sim.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServicesTest {
  private static ObjectNode req(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void linKvReadsWritesAndCasesWithMaelstromsErrors() throws Exception {
    LinKv kv = new LinKv(null);
    assertEquals(20, kv.handle("n0", req("{\"type\":\"read\",\"key\":\"a\"}")).get("code").asInt());
    assertEquals(
        20,
        kv.handle("n0", req("{\"type\":\"cas\",\"key\":\"a\",\"from\":1,\"to\":2}"))
            .get("code")
            .asInt());
    assertEquals(
        "cas_ok",
        kv.handle(
                "n0",
                req(
                    "{\"type\":\"cas\",\"key\":\"a\",\"from\":1,\"to\":2,\"create_if_not_exists\":true}"))
            .get("type")
            .asText());
    ObjectNode mismatch =
        kv.handle("n0", req("{\"type\":\"cas\",\"key\":\"a\",\"from\":1,\"to\":3}"));
    assertEquals(22, mismatch.get("code").asInt());
    assertEquals("current value 2 is not 1", mismatch.get("text").asText());
    assertEquals(
        "write_ok",
        kv.handle("n0", req("{\"type\":\"write\",\"key\":\"a\",\"value\":[1]}"))
            .get("type")
            .asText());
    assertEquals(
        "[1]", kv.handle("n1", req("{\"type\":\"read\",\"key\":\"a\"}")).get("value").toString());
    assertEquals(10, kv.handle("n1", req("{\"type\":\"frob\",\"key\":\"a\"}")).get("code").asInt());
  }

  @Test
  void seqKvMayServeStaleReadsButNeverOlderThanTheClientSaw() throws Exception {
    SeqKv kv = new SeqKv(null, new SplittableRandom(1));
    for (int i = 0; i < 10; i++) {
      kv.handle("n0", req("{\"type\":\"write\",\"key\":\"k\",\"value\":" + i + "}"));
    }
    Set<Integer> seen = new HashSet<>();
    int last = -1;
    for (int i = 0; i < 50; i++) {
      ObjectNode r = kv.handle("n1", req("{\"type\":\"read\",\"key\":\"k\"}"));
      int v = r.path("value").asInt(-1);
      assertTrue(v >= last, "monotonic for one client");
      last = v;
      seen.add(v);
    }
    assertTrue(seen.size() > 1, "reads were stale at first: " + seen);
    assertEquals(
        9,
        kv.handle("n0", req("{\"type\":\"read\",\"key\":\"k\"}")).get("value").asInt(),
        "the writer sees its write");
  }

  @Test
  void lwwKvConvergesAndIgnoresCreateIfNotExists() throws Exception {
    LwwKv kv = new LwwKv(null, new SplittableRandom(3));
    assertEquals(
        20,
        kv.handle(
                "n0",
                req(
                    "{\"type\":\"cas\",\"key\":\"a\",\"from\":1,\"to\":2,\"create_if_not_exists\":true}"))
            .get("code")
            .asInt());
    kv.handle("n0", req("{\"type\":\"write\",\"key\":\"a\",\"value\":5}"));
    int fives = 0;
    for (int i = 0; i < 40; i++) {
      fives +=
          kv.handle("n1", req("{\"type\":\"read\",\"key\":\"a\"}")).path("value").asInt(-1) == 5
              ? 1
              : 0;
    }
    assertTrue(fives > 30, "the write spread to both replicas: " + fives);
  }

  @Test
  void linTsoCountsFromZero() throws Exception {
    LinTso tso = new LinTso(null);
    assertEquals(0, tso.handle("n0", req("{\"type\":\"ts\"}")).get("ts").asInt());
    assertEquals(1, tso.handle("n1", req("{\"type\":\"ts\"}")).get("ts").asInt());
  }
}
