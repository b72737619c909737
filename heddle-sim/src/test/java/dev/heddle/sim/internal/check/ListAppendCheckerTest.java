package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListAppendCheckerTest {
  private static int t;

  /** Adds a txn by process p: invoke at time, ok/fail/info one ms later. */
  private static History txn(History h, int p, String type, String inv, String done) {
    t += 10;
    h.op(p, "invoke", "txn", inv, t);
    h.op(p, type, "txn", done, t + 1);
    return h;
  }

  private static ObjectNode check(History h, String model) {
    return new ListAppendChecker(model).check(h.ops());
  }

  private static boolean has(ObjectNode r, String type) {
    return r.get("anomaly-types").has(type);
  }

  @Test
  void validHistoryWithInfo() {
    History h = new History();
    txn(h, 0, "ok", "[[\"append\",1,1]]", "[[\"append\",1,1]]");
    txn(h, 1, "info", "[[\"append\",1,2]]", null);
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[1,2]]]");
    txn(h, 2, "fail", "[[\"append\",1,3]]", "[[\"append\",1,3]]");
    ObjectNode r = check(h, "strict-serializable");
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
    assertEquals(0, r.get("anomaly-types").size(), r.toString());
  }

  @Test
  void g1a() {
    History h = new History();
    txn(h, 2, "fail", "[[\"append\",1,3]]", "[[\"append\",1,3]]");
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[3]]]");
    ObjectNode r = check(h, "read-committed");
    assertTrue(has(r, "G1a"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals(true, check(h, "read-uncommitted").get("valid?").asBoolean());
  }

  @Test
  void g1bInternalDuplicateIncompatible() {
    History h = new History();
    txn(h, 0, "ok", "[[\"append\",1,1],[\"append\",1,2]]", "[[\"append\",1,1],[\"append\",1,2]]");
    txn(h, 1, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[1]]]");
    txn(h, 1, "ok", "[[\"append\",2,5],[\"r\",2,null]]", "[[\"append\",2,5],[\"r\",2,[]]]");
    txn(h, 1, "ok", "[[\"r\",3,null]]", "[[\"r\",3,[7,7]]]");
    txn(h, 1, "ok", "[[\"r\",4,null]]", "[[\"r\",4,[1,2]]]");
    txn(h, 1, "ok", "[[\"r\",4,null]]", "[[\"r\",4,[2]]]");
    ObjectNode r = check(h, "serializable");
    for (String k : List.of("G1b", "internal", "duplicate-append", "incompatible-order")) {
      assertTrue(has(r, k), k + " " + r);
    }
  }

  @Test
  void g0() {
    // T1 appends x=1,y=2; T2 appends x=2,y=1: order x [1,2] and y [1,2] conflict
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"append\",1,1],[\"append\",2,2]]", 1000);
    h.op(1, "invoke", "txn", "[[\"append\",1,2],[\"append\",2,1]]", 1000);
    h.op(0, "ok", "txn", "[[\"append\",1,1],[\"append\",2,2]]", 1001);
    h.op(1, "ok", "txn", "[[\"append\",1,2],[\"append\",2,1]]", 1001);
    h.op(2, "invoke", "txn", "[[\"r\",1,null],[\"r\",2,null]]", 1010);
    h.op(2, "ok", "txn", "[[\"r\",1,[1,2]],[\"r\",2,[1,2]]]", 1011);
    ObjectNode r = check(h, "read-uncommitted");
    assertTrue(has(r, "G0"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
  }

  @Test
  void g1c() {
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"append\",1,1],[\"r\",2,null]]", 2000);
    h.op(1, "invoke", "txn", "[[\"append\",2,1],[\"r\",1,null]]", 2000);
    h.op(0, "ok", "txn", "[[\"append\",1,1],[\"r\",2,[1]]]", 2001);
    h.op(1, "ok", "txn", "[[\"append\",2,1],[\"r\",1,[1]]]", 2001);
    ObjectNode r = check(h, "read-committed");
    assertTrue(has(r, "G1c"), r.toString());
  }

  @Test
  void gSingleAndG2ItemModels() {
    // write skew: both read empty, each appends to the other's key
    History h = new History();
    h.op(0, "invoke", "txn", "[[\"r\",1,null],[\"append\",2,1]]", 3000);
    h.op(1, "invoke", "txn", "[[\"r\",2,null],[\"append\",1,1]]", 3000);
    h.op(0, "ok", "txn", "[[\"r\",1,[]],[\"append\",2,1]]", 3001);
    h.op(1, "ok", "txn", "[[\"r\",2,[]],[\"append\",1,1]]", 3001);
    h.op(2, "invoke", "txn", "[[\"r\",1,null],[\"r\",2,null]]", 3010);
    h.op(2, "ok", "txn", "[[\"r\",1,[1]],[\"r\",2,[1]]]", 3011);
    assertTrue(has(check(h, "serializable"), "G2-item"));
    assertEquals(true, check(h, "snapshot-isolation").get("valid?").asBoolean());
    assertEquals(false, check(h, "serializable").get("valid?").asBoolean());
    // G-single: T0 reads x empty, appends y; T1 appends x, reads y seeing T0's append
    History g = new History();
    g.op(0, "invoke", "txn", "[[\"r\",1,null],[\"r\",2,null]]", 4000);
    g.op(1, "invoke", "txn", "[[\"append\",1,1],[\"append\",2,1]]", 4000);
    g.op(1, "ok", "txn", "[[\"append\",1,1],[\"append\",2,1]]", 4001);
    g.op(0, "ok", "txn", "[[\"r\",1,[]],[\"r\",2,[1]]]", 4001);
    g.op(2, "invoke", "txn", "[[\"r\",1,null]]", 4010);
    g.op(2, "ok", "txn", "[[\"r\",1,[1]]]", 4011);
    ObjectNode r = check(g, "snapshot-isolation");
    assertTrue(has(r, "G-single"), r.toString());
    assertEquals(false, r.get("valid?").asBoolean());
  }

  @Test
  void realtime() {
    // T0 appends 1 and completes; T1 starts later and reads empty: rw T1->T0, rt T0->T1
    History h = new History();
    txn(h, 0, "ok", "[[\"append\",1,1]]", "[[\"append\",1,1]]");
    txn(h, 1, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[]]]");
    txn(h, 2, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[1]]]");
    assertTrue(has(check(h, "strict-serializable"), "G-single-realtime"));
    assertEquals(true, check(h, "serializable").get("valid?").asBoolean());
    assertEquals(false, check(h, "strict-serializable").get("valid?").asBoolean());
  }

  @Test
  void aMissingKeyReadsAsNullAndCountsAsEmpty() {
    History h = new History();
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,null]]");
    txn(h, 1, "ok", "[[\"append\",1,1]]", "[[\"append\",1,1]]");
    txn(h, 0, "ok", "[[\"r\",1,null]]", "[[\"r\",1,[1]]]");
    assertEquals(true, check(h, "strict-serializable").get("valid?").asBoolean());
    // a later read of null is stale: rw to the append, which completed before it began
    txn(h, 2, "ok", "[[\"r\",1,null]]", "[[\"r\",1,null]]");
    assertTrue(has(check(h, "strict-serializable"), "G-single-realtime"));
  }

  @Test
  void malformedOpsAreNamed() {
    ListAppendChecker c = new ListAppendChecker("serializable");
    History h = new History();
    h.op(0, "ok", "txn", "[[\"r\",1,3]]", 1);
    h.op(1, "invoke", "txn", "[[\"w\",1,2]]", 1);
    h.op(2, "fail", "txn", null, 1);
    List<dev.heddle.sim.internal.history.Op> ops = h.ops();
    assertEquals(
        "a txn-list-append read must return a list (or null), got [\"r\",1,3]",
        c.malformed(ops.get(0)));
    assertTrue(String.valueOf(c.malformed(ops.get(1))).contains("or [\"append\", key, value]"));
    assertEquals(null, c.malformed(ops.get(2)));
  }
}
