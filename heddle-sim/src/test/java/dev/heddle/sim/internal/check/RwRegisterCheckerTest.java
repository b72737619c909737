package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RwRegisterCheckerTest {
  private int t;

  /** Adds a txn by process p that runs alone: invoke, then ok/fail/info one ms later. */
  private History txn(History h, int p, String type, String inv, String done) {
    t += 10;
    h.op(p, "invoke", "txn", inv, t);
    h.op(p, type, "txn", done, t + 1);
    return h;
  }

  private static ObjectNode check(History h, String models) {
    return new RwRegisterChecker(models).check(h.ops());
  }

  private static boolean valid(History h, String models) {
    return check(h, models).get("valid?").asBoolean();
  }

  private static boolean has(ObjectNode r, String type) {
    return r.get("anomaly-types").has(type);
  }

  private static List<String> anomalies(ObjectNode r) {
    List<String> out = new ArrayList<>();
    r.get("anomaly-types").fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void aSerialHistoryWithInfoFailedAndUnfinishedTxnsIsValid() {
    History h = new History();
    txn(h, 0, "ok", "[[\"r\",1,null],[\"w\",1,1]]", "[[\"r\",1,null],[\"w\",1,1]]");
    txn(h, 1, "info", "[[\"w\",1,2]]", null);
    txn(h, 0, "ok", "[[\"r\",1,null],[\"w\",2,1]]", "[[\"r\",1,2],[\"w\",2,1]]");
    // a txn-conflict abort is a definite failure: its write never happened
    txn(h, 2, "fail", "[[\"w\",1,3]]", "[[\"w\",1,3]]");
    txn(
        h,
        0,
        "ok",
        "[[\"w\",1,4],[\"r\",1,null],[\"r\",2,null]]",
        "[[\"w\",1,4],[\"r\",1,4],[\"r\",2,1]]");
    h.op(3, "invoke", "txn", "[[\"w\",1,5]]", 1000);
    ObjectNode r = check(h, "strict-serializable");
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
    assertEquals(List.of(), anomalies(r), r.toString());
    assertEquals(4, r.get("txn-count").asInt(), "ok and info txns count; failed ones do not");
  }

  @Test
  void readingAnAbortedWriteIsG1a() {
    History h = new History();
    txn(h, 2, "fail", "[[\"w\",1,3]]", "[[\"w\",1,3]]");
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,3]]");
    ObjectNode r = check(h, "read-committed");
    assertTrue(has(r, "G1a"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "read-uncommitted"));
  }

  @Test
  void readingAnotherTxnsIntermediateWriteIsG1b() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1],[\"w\",1,2]]", "[[\"w\",1,1],[\"w\",1,2]]");
    txn(h, 1, "ok", "[[\"r\",1,null]]", "[[\"r\",1,1]]");
    ObjectNode r = check(h, "read-committed");
    assertEquals(List.of("G1b"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "read-uncommitted"));
  }

  @Test
  void readsThatContradictTheTxnsOwnWritesOrReadsAreInternal() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1],[\"r\",1,null]]", "[[\"w\",1,1],[\"r\",1,null]]");
    txn(h, 1, "ok", "[[\"r\",2,null],[\"r\",2,null]]", "[[\"r\",2,null],[\"r\",2,7]]");
    txn(h, 2, "ok", "[[\"w\",2,7]]", "[[\"w\",2,7]]");
    ObjectNode r = check(h, "read-uncommitted");
    assertEquals(2, r.at("/anomaly-types/internal").asInt(), r.toString());
    assertEquals(false, r.get("valid?").asBoolean(), "every model forbids internal anomalies");
  }

  @Test
  void unwrittenValuesAndDuplicateWritesAreReported() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1]]", "[[\"w\",1,1]]");
    txn(h, 1, "ok", "[[\"w\",1,1]]", "[[\"w\",1,1]]");
    txn(h, 2, "ok", "[[\"r\",2,null]]", "[[\"r\",2,9]]");
    ObjectNode r = check(h, "read-uncommitted");
    assertTrue(has(r, "duplicate-write") && has(r, "garbage-read"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
  }

  @Test
  void writesThatFollowReadsInBothOrdersAreG0() {
    // T0 read y=1 (T1's) then wrote y=2; T1 read x=1 (T0's) then wrote x=2: ww both ways
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"w\",1,1],[\"r\",2,null],[\"w\",2,2]]", 100);
    h.op(1, "invoke", "txn", "[[\"w\",2,1],[\"r\",1,null],[\"w\",1,2]]", 100);
    h.op(0, "ok", "txn", "[[\"w\",1,1],[\"r\",2,1],[\"w\",2,2]]", 101);
    h.op(1, "ok", "txn", "[[\"w\",2,1],[\"r\",1,1],[\"w\",1,2]]", 101);
    ObjectNode r = check(h, "read-uncommitted");
    assertEquals(List.of("G0"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    JsonNode cycle = r.at("/anomalies/0/cycle");
    assertEquals(2, cycle.size(), r.toString());
    assertEquals("ww", cycle.get(0).get("edge").asText());
  }

  @Test
  void readingEachOthersWritesIsG1c() {
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"w\",1,1],[\"r\",2,null]]", 200);
    h.op(1, "invoke", "txn", "[[\"w\",2,1],[\"r\",1,null]]", 200);
    h.op(0, "ok", "txn", "[[\"w\",1,1],[\"r\",2,1]]", 201);
    h.op(1, "ok", "txn", "[[\"w\",2,1],[\"r\",1,1]]", 201);
    ObjectNode r = check(h, "read-committed");
    assertEquals(List.of("G1c"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "read-uncommitted"));
  }

  @Test
  void aReadSkewIsGSingle() {
    // T0 sees x before T1 (nil) but y after it (1)
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"r\",1,null],[\"r\",2,null]]", 300);
    h.op(1, "invoke", "txn", "[[\"w\",1,1],[\"w\",2,1]]", 300);
    h.op(1, "ok", "txn", "[[\"w\",1,1],[\"w\",2,1]]", 301);
    h.op(0, "ok", "txn", "[[\"r\",1,null],[\"r\",2,1]]", 301);
    ObjectNode r = check(h, "snapshot-isolation");
    assertEquals(List.of("G-single"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "read-committed"));
    List<String> edges = new ArrayList<>();
    r.at("/anomalies/0/cycle").forEach(s -> edges.add(s.get("edge").asText()));
    assertEquals(List.of("rw", "wr"), edges, r.toString());
  }

  @Test
  void aWriteSkewIsG2ItemValidUnderSnapshotIsolation() {
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"r\",1,null],[\"w\",2,1]]", 400);
    h.op(1, "invoke", "txn", "[[\"r\",2,null],[\"w\",1,1]]", 400);
    h.op(0, "ok", "txn", "[[\"r\",1,null],[\"w\",2,1]]", 401);
    h.op(1, "ok", "txn", "[[\"r\",2,null],[\"w\",1,1]]", 401);
    ObjectNode r = check(h, "serializable");
    assertEquals(List.of("G2-item"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "snapshot-isolation"));
  }

  @Test
  void aStaleReadAfterACompletedWriteIsGSingleRealtime() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1]]", "[[\"w\",1,1]]");
    txn(h, 1, "ok", "[[\"r\",1,null]]", "[[\"r\",1,null]]");
    ObjectNode r = check(h, "strict-serializable");
    assertEquals(List.of("G-single-realtime"), anomalies(r), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(valid(h, "serializable"));
  }

  @Test
  void strictSerializableOrdersWritesByRealTimeSoAnOlderValueIsStale() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1]]", "[[\"w\",1,1]]");
    txn(h, 1, "ok", "[[\"w\",1,2]]", "[[\"w\",1,2]]");
    txn(h, 2, "ok", "[[\"r\",1,null]]", "[[\"r\",1,1]]");
    ObjectNode r = check(h, "strict-serializable");
    assertTrue(has(r, "G-single-realtime"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertTrue(r.get("anomalies").toString().contains("\"edge\":\"rw-realtime\""), r.toString());
    // serializable does not know the version order, so the old value may be the last one
    assertEquals(List.of(), anomalies(check(h, "serializable")));
  }

  @Test
  void readingFromTheFutureIsG1cOrG0Realtime() {
    History h = new History();
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,2]]");
    txn(h, 1, "ok", "[[\"w\",1,2]]", "[[\"w\",1,2]]");
    ObjectNode r = check(h, "strict-serializable");
    assertEquals(List.of("G1c-realtime"), anomalies(r), r.toString());
    assertTrue(valid(h, "serializable"));
    History g = new History();
    txn(g, 0, "ok", "[[\"r\",1,null],[\"w\",1,3]]", "[[\"r\",1,2],[\"w\",1,3]]");
    txn(g, 1, "ok", "[[\"w\",1,2]]", "[[\"w\",1,2]]");
    ObjectNode q = check(g, "strict-serializable");
    assertTrue(has(q, "G0-realtime"), q.toString());
  }

  @Test
  void severalModelsForbidWhatAnyOfThemForbids() {
    History h = new History();
    txn(h, 0, "ok", "[[\"w\",1,1]]", "[[\"w\",1,1]]");
    txn(h, 1, "ok", "[[\"r\",1,null]]", "[[\"r\",1,null]]");
    assertEquals(false, valid(h, "serializable, strict-serializable"));
    assertEquals(
        "serializable,strict-serializable",
        check(h, "serializable,strict-serializable").get("model").asText());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RwRegisterChecker("linearizable"));
    assertTrue(e.getMessage().contains("unknown consistency model 'linearizable'"));
  }

  @Test
  void malformedOpsAreNamed() {
    RwRegisterChecker c = new RwRegisterChecker();
    History h = new History();
    h.op(0, "invoke", "read", "[1, null]", 1);
    h.op(1, "invoke", "txn", "[[\"append\",1,2]]", 1);
    h.op(2, "invoke", "txn", "[[\"w\",1,null]]", 1);
    h.op(3, "invoke", "txn", "{\"w\": 1}", 1);
    h.op(4, "invoke", "txn", "[[\"r\",1,null],[\"w\",1,2]]", 1);
    List<Op> ops = h.ops();
    assertEquals("unknown f 'read' for txn-rw-register (expected txn)", c.malformed(ops.get(0)));
    String append = c.malformed(ops.get(1));
    assertNotNull(append);
    assertTrue(append.contains("must be [\"r\", key, value] or [\"w\", key, value]"), append);
    assertEquals("a txn-rw-register w needs a value, got [\"w\",1,null]", c.malformed(ops.get(2)));
    assertTrue(String.valueOf(c.malformed(ops.get(3))).contains("must be a list of micro-ops"));
    assertNull(c.malformed(ops.get(4)));
  }
}
