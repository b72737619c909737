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

class KafkaTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  private static ObjectNode reply(String s) throws Exception {
    return (ObjectNode) json(s);
  }

  @Test
  void requestsUseMaelstromsSchemas() throws Exception {
    Kafka w = new Kafka();
    assertEquals(
        "{\"type\":\"send\",\"key\":\"1\",\"msg\":7}",
        w.request(new OpSpec("send", json("[\"1\", 7]"), false)).toString());
    assertEquals(
        "{\"type\":\"poll\",\"offsets\":{\"1\":3}}",
        w.request(new OpSpec("poll", json("{\"1\": 3}"), false)).toString());
    assertEquals(
        "{\"type\":\"commit_offsets\",\"offsets\":{\"1\":2}}",
        w.request(new OpSpec("commit_offsets", json("{\"1\": 2}"), false)).toString());
    assertEquals(
        "{\"type\":\"list_committed_offsets\",\"keys\":[\"1\"]}",
        w.request(new OpSpec("list_committed_offsets", json("[\"1\"]"), false)).toString());
    assertEquals("list_committed_offsets_ok", w.okType("list_committed_offsets"));
    assertTrue(w.idempotent("list_committed_offsets"));
  }

  @Test
  void aSendRecordsItsOffsetAndBadRepliesAreRefused() throws Exception {
    Kafka w = new Kafka();
    OpSpec send = new OpSpec("send", json("[\"1\", 7]"), false);
    assertEquals(
        "[\"1\",[4,7]]",
        String.valueOf(w.okValue(send, reply("{\"type\":\"send_ok\",\"offset\":4}"))));
    assertNull(w.okValue(send, reply("{\"type\":\"send_ok\"}")));
    OpSpec poll = new OpSpec("poll", json("{\"1\": 0}"), false);
    assertNull(w.okValue(poll, reply("{\"type\":\"poll_ok\",\"msgs\":{\"1\":[7]}}")));
    assertNull(w.okValue(poll, reply("{\"type\":\"poll_ok\"}")));
  }

  @Test
  void eachWorkerPollsFromWhereItsOwnPollsEnded() throws Exception {
    Kafka w = new Kafka();
    OpSpec poll0 = w.bind(new OpSpec("poll", null, false), 0);
    assertEquals("{\"0\":0,\"1\":0,\"2\":0}", String.valueOf(poll0.value()));
    w.completed(0, poll0, json("{\"0\":[[0,1],[1,2]],\"2\":[]}"));
    assertEquals("{\"0\":2,\"1\":0,\"2\":0}", polled(w, 0));
    assertEquals("{\"0\":0,\"1\":0,\"2\":0}", polled(w, 1));
    // a commit commits the last offset polled, once; with nothing new it polls instead
    OpSpec commit = w.bind(new OpSpec("commit_offsets", null, false), 0);
    assertEquals("commit_offsets {\"0\":1}", commit.f() + " " + commit.value());
    assertEquals("poll", w.bind(new OpSpec("commit_offsets", null, false), 0).f());
    // a listing moves the worker just after the committed offsets
    w.completed(1, new OpSpec("list_committed_offsets", json("[\"0\"]"), false), json("{\"0\":5}"));
    assertEquals("{\"0\":6,\"1\":0,\"2\":0}", polled(w, 1));
  }

  @Test
  void sendsCarryIncreasingValuesPerKeyAndTheFinalPollStartsAtZero() {
    Kafka w = new Kafka();
    SplittableRandom random = new SplittableRandom(1);
    Map<String, Long> last = new HashMap<>();
    int sends = 0;
    for (int i = 0; i < 500; i++) {
      OpSpec op = w.next(random);
      if (op.f().equals("send")) {
        JsonNode v = op.value();
        assertTrue(v != null && v.get(1).asLong() > last.getOrDefault(v.get(0).asText(), 0L));
        last.put(v.get(0).asText(), v.get(1).asLong());
        sends++;
      }
    }
    assertTrue(sends > 150 && sends < 350, "sends " + sends);
    OpSpec fin = w.finalOp();
    assertTrue(fin.isFinal());
    assertEquals("{\"0\":0,\"1\":0,\"2\":0}", String.valueOf(fin.value()));
  }

  /** The offsets the next poll of a worker asks for. */
  private static String polled(Kafka w, int worker) {
    return String.valueOf(w.bind(new OpSpec("poll", null, false), worker).value());
  }
}
