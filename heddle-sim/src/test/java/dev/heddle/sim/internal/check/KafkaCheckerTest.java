package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaCheckerTest {
  private final History h = new History();
  private long t;

  /** A send of msg to key k by process p, ok at offset (or fail/info when offset is negative). */
  private KafkaCheckerTest send(int p, String k, int msg, long offset) {
    return send(p, k, msg, offset, offset >= 0 ? "ok" : "info");
  }

  private KafkaCheckerTest send(int p, String k, int msg, long offset, String type) {
    t += 10;
    String inv = "[\"" + k + "\"," + msg + "]";
    h.op(p, "invoke", "send", inv, t);
    h.op(
        p,
        type,
        "send",
        type.equals("ok") ? "[\"" + k + "\",[" + offset + "," + msg + "]]" : inv,
        t + 1);
    return this;
  }

  /** A poll by process p asking {@code asked} ({key: offset}) that returned {@code msgs}. */
  private KafkaCheckerTest poll(int p, String asked, String msgs) {
    return poll(p, asked, msgs, false);
  }

  private KafkaCheckerTest poll(int p, String asked, String msgs, boolean isFinal) {
    t += 10;
    h.op(p, "invoke", "poll", asked, t, isFinal);
    h.op(p, "ok", "poll", msgs, t + 1, isFinal);
    return this;
  }

  private KafkaCheckerTest commit(int p, String offsets) {
    t += 10;
    h.op(p, "invoke", "commit_offsets", offsets, t);
    h.op(p, "ok", "commit_offsets", offsets, t + 1);
    return this;
  }

  private KafkaCheckerTest list(int p, String keys, String offsets) {
    t += 10;
    h.op(p, "invoke", "list_committed_offsets", keys, t);
    h.op(p, "ok", "list_committed_offsets", offsets, t + 1);
    return this;
  }

  private ObjectNode check() {
    return new KafkaChecker().check(h.ops());
  }

  private static void assertOnly(ObjectNode r, String type) {
    assertEquals(false, r.get("valid?").asBoolean(), r.toString());
    assertEquals(List.of(type), List.copyOf(iterable(r.get("anomaly-types"))), r.toString());
    JsonNode a = r.get("anomalies").get(type).get(0);
    assertTrue(a.get("ops").size() >= 1, a.toString());
    assertTrue(a.get("explanation").asText().length() > 20, a.toString());
    assertEquals(a.get("explanation"), r.get("errors").get(0));
  }

  private static List<String> iterable(JsonNode o) {
    List<String> names = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String explanation(ObjectNode r, String type) {
    return r.get("anomalies").get(type).get(0).get("explanation").asText();
  }

  @Test
  void aCorrectLogIsValid() {
    send(0, "a", 1, 0).send(1, "a", 2, 1).send(0, "b", 1, 0);
    poll(2, "{\"a\":0,\"b\":0}", "{\"a\":[[0,1],[1,2]],\"b\":[[0,1]]}");
    commit(2, "{\"a\":1,\"b\":0}");
    list(3, "[\"a\",\"b\"]", "{\"a\":1,\"b\":0}");
    send(1, "a", 3, 2);
    poll(2, "{\"a\":2,\"b\":1}", "{\"a\":[[2,3]],\"b\":[]}");
    poll(0, "{\"a\":0,\"b\":0}", "{\"a\":[[0,1],[1,2],[2,3]],\"b\":[[0,1]]}", true);
    ObjectNode r = check();
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
    assertEquals(0, r.get("anomaly-types").size());
    assertEquals(4, r.get("acknowledged-count").asLong());
    assertEquals(0, r.get("unseen-count").asLong());
  }

  @Test
  void infoSendsMayOrMayNotAppear() {
    send(0, "a", 1, 0).send(1, "a", 2, -1).send(1, "a", 3, -1);
    send(0, "a", 4, 2);
    // msg 2 (info) took offset 1; msg 3 (info) never happened
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2],[2,4]]}", true);
    ObjectNode r = check();
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void noPollMeansUnknown() {
    send(0, "a", 1, 0);
    ObjectNode r = check();
    assertEquals("unknown", r.get("valid?").asText(), r.toString());
    assertEquals(1, r.get("unseen-count").asLong());
  }

  @Test
  void lostWrite() {
    send(0, "a", 1, 0).send(0, "a", 2, 1).send(0, "a", 3, 2);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1]]}");
    poll(1, "{\"a\":2}", "{\"a\":[[2,3]]}");
    ObjectNode r = check();
    assertOnly(r, "lost-write");
    String why = explanation(r, "lost-write");
    assertTrue(
        why.startsWith(
            "send of 2 to key a by process 0 [op 2–3, t=0.020–0.021 s] was acknowledged"),
        why);
    assertTrue(why.contains("read key a up to offset 2"), why);
    JsonNode ops = r.get("anomalies").get("lost-write").get(0).get("ops");
    assertEquals(2, ops.get(0).get("invoke-index").asLong());
    assertEquals("poll", ops.get(1).get("f").asText());
  }

  @Test
  void unseenByTheFinalPoll() {
    send(0, "a", 1, 0).send(0, "a", 2, 1);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1]]}", true);
    ObjectNode r = check();
    assertOnly(r, "unseen");
    assertTrue(explanation(r, "unseen").contains("only up to offset 0"), r.toString());
  }

  @Test
  void inconsistentOffsets() {
    send(0, "a", 1, 0).send(1, "a", 2, 0);
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    ObjectNode r = check();
    assertTrue(r.get("anomaly-types").has("inconsistent-offsets"), r.toString());
    JsonNode a = r.get("anomalies").get("inconsistent-offsets").get(0);
    assertEquals(0, a.get("offset").asLong());
    assertEquals(2, a.get("values").size());
    assertTrue(a.get("explanation").asText().startsWith("Offset 0 of key a holds different"));
  }

  @Test
  void duplicate() {
    send(0, "a", 1, 0).send(0, "a", 2, 1);
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2],[2,1]]}");
    ObjectNode r = check();
    assertOnly(r, "duplicate");
    assertEquals(2, r.get("anomalies").get("duplicate").get(0).get("offsets").size());
  }

  @Test
  void failedSendRead() {
    send(0, "a", 1, 0).send(0, "a", 2, -1, "fail");
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    assertOnly(check(), "G1a");
  }

  @Test
  void nonmonotonicSend() {
    send(0, "a", 1, 1).send(0, "a", 2, 0);
    poll(2, "{\"a\":0}", "{\"a\":[[0,2],[1,1]]}");
    ObjectNode r = check();
    assertOnly(r, "nonmonotonic-send");
    assertTrue(explanation(r, "nonmonotonic-send").contains("had got offset 1"), r.toString());
  }

  @Test
  void nonmonotonicPoll() {
    send(0, "a", 1, 0).send(0, "a", 2, 1).send(0, "a", 3, 2);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    poll(1, "{\"a\":2}", "{\"a\":[[1,2],[2,3]]}");
    ObjectNode r = check();
    assertOnly(r, "nonmonotonic-poll");
    assertTrue(explanation(r, "nonmonotonic-poll").contains("must not go backwards"), r.toString());
    // asking again from the start is a seek, not a poll going backwards
    KafkaCheckerTest seek = new KafkaCheckerTest();
    seek.send(0, "a", 1, 0).poll(1, "{\"a\":0}", "{\"a\":[[0,1]]}");
    seek.poll(1, "{\"a\":0}", "{\"a\":[[0,1]]}");
    assertEquals(true, seek.check().get("valid?").asBoolean());
  }

  @Test
  void pollSkip() {
    send(0, "a", 1, 0).send(0, "a", 2, 1);
    poll(1, "{\"a\":0}", "{\"a\":[[1,2]]}");
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    ObjectNode r = check();
    assertOnly(r, "poll-skip");
    assertTrue(
        explanation(r, "poll-skip").contains("skipping offset 0, which holds 1"), r.toString());
  }

  @Test
  void internalPollSkipAndNonmonotonic() {
    send(0, "a", 1, 0).send(0, "a", 2, 1).send(0, "a", 3, 2);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1],[2,3]]}");
    poll(2, "{\"a\":0}", "{\"a\":[[0,1],[1,2],[2,3]]}");
    assertOnly(check(), "int-poll-skip");

    KafkaCheckerTest back = new KafkaCheckerTest();
    back.send(0, "a", 1, 0).send(0, "a", 2, 1);
    back.poll(1, "{\"a\":0}", "{\"a\":[[1,2],[0,1]]}");
    ObjectNode r = back.check();
    assertTrue(r.get("anomaly-types").has("int-nonmonotonic-poll"), r.toString());
  }

  @Test
  void aGapWithNoKnownMessageIsNoSkip() {
    // offset 1 was taken by an info send that never showed: nothing known was skipped
    send(0, "a", 1, 0).send(0, "a", 2, -1).send(0, "a", 3, 2);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1],[2,3]]}");
    assertEquals(true, check().get("valid?").asBoolean());
  }

  @Test
  void committedOffsetsGoingBackwards() {
    send(0, "a", 1, 0).send(0, "a", 2, 1);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    commit(1, "{\"a\":1}");
    list(2, "[\"a\"]", "{\"a\":0}");
    ObjectNode r = check();
    assertOnly(r, "nonmonotonic-committed");
    assertTrue(explanation(r, "nonmonotonic-committed").contains("had committed 1"), r.toString());

    KafkaCheckerTest forgot = new KafkaCheckerTest();
    forgot.send(0, "a", 1, 0).poll(1, "{\"a\":0}", "{\"a\":[[0,1]]}").commit(1, "{\"a\":0}");
    forgot.list(2, "[\"a\"]", "{\"a\":0}").list(2, "[\"a\"]", "{}");
    ObjectNode f = forgot.check();
    assertOnly(f, "nonmonotonic-committed");
    assertTrue(explanation(f, "nonmonotonic-committed").contains("no committed offset"));
  }

  @Test
  void committedBeyondWhatWasCommitted() {
    send(0, "a", 1, 0).send(0, "a", 2, 1);
    poll(1, "{\"a\":0}", "{\"a\":[[0,1],[1,2]]}");
    commit(1, "{\"a\":0}");
    list(2, "[\"a\"]", "{\"a\":5}");
    ObjectNode r = check();
    assertOnly(r, "committed-ahead");
    assertTrue(explanation(r, "committed-ahead").contains("asked for more than 0"), r.toString());
  }

  @Test
  void manyAnomaliesAreCountedButListedUpToALimit() {
    for (int i = 0; i < 30; i++) {
      send(0, "a", i + 1, i);
    }
    poll(1, "{\"a\":0}", "{\"a\":[[29,30]]}");
    ObjectNode r = check();
    assertEquals(29, r.get("anomaly-types").get("lost-write").asInt(), r.toString());
    assertEquals(KafkaAnomalies.LISTED, r.get("anomalies").get("lost-write").size());
  }

  @Test
  void malformedOpsAreNamed() {
    KafkaChecker c = new KafkaChecker();
    History bad = new History();
    bad.op(0, "invoke", "send", "3", 0);
    bad.op(0, "ok", "send", "[\"a\", 3]", 0);
    bad.op(0, "invoke", "poll", "{\"a\":\"x\"}", 0);
    bad.op(0, "ok", "poll", "{\"a\":[[0]]}", 0);
    bad.op(0, "invoke", "fetch", "{}", 0);
    bad.op(0, "invoke", "list_committed_offsets", "[\"a\",[1]]", 0);
    bad.op(0, "ok", "send", "[\"a\", [0, 3]]", 0);
    List<Op> ops = bad.ops();
    assertTrue(String.valueOf(c.malformed(ops.get(0))).contains("must be [key, msg]"));
    assertTrue(String.valueOf(c.malformed(ops.get(1))).contains("[key, [offset, msg]]"));
    assertTrue(String.valueOf(c.malformed(ops.get(2))).contains("{key: offset}"));
    assertTrue(String.valueOf(c.malformed(ops.get(3))).contains("messages of key a"));
    assertTrue(String.valueOf(c.malformed(ops.get(4))).contains("unknown kafka function 'fetch'"));
    assertNotNull(c.malformed(ops.get(5)));
    assertNull(c.malformed(ops.get(6)));
  }
}
