package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private static ObjectNode check(History h) {
    return new LinearizabilityChecker().check(h.ops());
  }

  private static JsonNode key(ObjectNode r, String key) {
    return r.get("results").get(key);
  }

  @Test
  void aSequentialHistoryOfReadsWritesAndCasIsValid() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(0, "ok", "write", "[0, 1]", 1)
                .op(0, "invoke", "read", "[0, null]", 2)
                .op(0, "ok", "read", "[0, 1]", 3)
                .op(0, "invoke", "cas", "[0, [1, 2]]", 4)
                .op(0, "ok", "cas", "[0, [1, 2]]", 5)
                .op(0, "invoke", "cas", "[0, [1, 3]]", 6)
                .op(0, "fail", "cas", "[0, [1, 3]]", 7)
                .op(0, "invoke", "read", "[0, null]", 8)
                .op(0, "ok", "read", "[0, 2]", 9));
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
    assertEquals(1, r.get("key-count").asInt());
    assertEquals(5, r.get("op-count").asInt());
    assertEquals("wgl", r.get("analyzer").asText());
  }

  @Test
  void concurrentReadsMaySeeTheOldOrTheNewValue() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(1, "invoke", "read", "[0, null]", 1)
                .op(2, "invoke", "read", "[0, null]", 2)
                .op(1, "ok", "read", "[0, 1]", 3)
                .op(2, "ok", "read", "[0, null]", 4)
                .op(0, "ok", "write", "[0, 1]", 5));
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void concurrentReadsMustAgreeOnOneOrder() {
    // p1 sees the new value and returns before p2 starts, so p2 cannot see the old one.
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(1, "invoke", "read", "[0, null]", 1)
                .op(1, "ok", "read", "[0, 1]", 2)
                .op(2, "invoke", "read", "[0, null]", 3)
                .op(2, "ok", "read", "[0, null]", 4)
                .op(0, "ok", "write", "[0, 1]", 5));
    assertEquals(false, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void anIndefiniteWriteMayHaveTakenEffectLater() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 3]", 0)
                .op(0, "info", "write", "[0, 3]", 1)
                .op(1, "invoke", "read", "[0, null]", 5)
                .op(1, "ok", "read", "[0, null]", 6)
                .op(1, "invoke", "read", "[0, null]", 7)
                .op(1, "ok", "read", "[0, 3]", 8));
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void anIndefiniteOpMayNeverHaveTakenEffect() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(0, "ok", "write", "[0, 1]", 1)
                .op(1, "invoke", "write", "[0, 3]", 2)
                .op(1, "info", "write", "[0, 3]", 3)
                .op(2, "invoke", "cas", "[0, [4, 2]]", 4) // never completes: no 4 ever
                .op(0, "invoke", "read", "[0, null]", 5)
                .op(0, "ok", "read", "[0, 1]", 6)
                .op(0, "invoke", "read", "[0, null]", 7)
                .op(0, "info", "read", "[0, null]", 8));
    assertEquals(true, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void anIndefiniteWriteTakesEffectAtMostOnce() {
    ObjectNode r =
        check(
            new History()
                .op(1, "invoke", "write", "[0, 3]", 0)
                .op(1, "info", "write", "[0, 3]", 1)
                .op(0, "invoke", "read", "[0, null]", 2)
                .op(0, "ok", "read", "[0, 3]", 3)
                .op(0, "invoke", "write", "[0, 1]", 4)
                .op(0, "ok", "write", "[0, 1]", 5)
                .op(0, "invoke", "read", "[0, null]", 6)
                .op(0, "ok", "read", "[0, 3]", 7));
    assertEquals(false, r.get("valid?").asBoolean(), r.toString());
  }

  @Test
  void aStaleReadIsExplainedWithTheWriteThatOverwroteIt() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(0, "ok", "write", "[0, 1]", 1000)
                .op(1, "invoke", "read", "[0, null]", 1100) // noise: a correct read
                .op(1, "ok", "read", "[0, 1]", 1200)
                .op(0, "invoke", "write", "[0, 2]", 2000)
                .op(0, "ok", "write", "[0, 2]", 3000)
                .op(2, "invoke", "read", "[0, null]", 4000)
                .op(2, "ok", "read", "[0, 1]", 5000));
    assertEquals(false, r.get("valid?").asBoolean(), r.toString());
    assertEquals("[0]", r.get("failures").toString());
    JsonNode k = key(r, "0");
    assertEquals("ok", k.at("/op/type").asText());
    assertEquals("[0,1]", k.at("/op/value").toString());
    assertEquals(2, k.at("/op/process").asInt());
    assertEquals("[2]", k.get("possible-values").toString());
    assertEquals(
        "read of 1 by process 2 [t=4.000–5.000 s] cannot be linearized: when it had to take"
            + " effect, the key could only hold {2}. 1 was set by write of 1 by process 0"
            + " [t=0.000–1.000 s], but write of 2 by process 0 [t=2.000–3.000 s] ran entirely"
            + " after it and before the read began. The search linearized at most 3 of the"
            + " key's 4 ops.",
        k.get("explanation").asText());
    assertEquals(true, k.get("sub-history-minimal?").asBoolean());
    List<String> sub = new ArrayList<>();
    k.get("sub-history").forEach(op -> sub.add(op.get("type").asText() + " " + op.get("value")));
    assertEquals(
        List.of(
            "invoke [0,1]", "ok [0,1]", "invoke [0,2]", "ok [0,2]", "invoke [0,null]", "ok [0,1]"),
        sub);
  }

  @Test
  void aLostWriteIsNamed() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[\"k\", 4]", 0)
                .op(0, "ok", "write", "[\"k\", 4]", 1)
                .op(1, "invoke", "read", "[\"k\", null]", 2)
                .op(1, "ok", "read", "[\"k\", null]", 3));
    JsonNode k = key(r, "k");
    assertEquals(false, k.get("valid?").asBoolean(), r.toString());
    assertTrue(
        k.get("explanation")
            .asText()
            .contains(
                "The key has no value only before its first write, but write of 4 by process 0"
                    + " [t=0.000–0.001 s] completed before the read began."),
        k.toString());
  }

  @Test
  void aCasThatSucceedsFromAWrongValueIsInvalid() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 0]", 0)
                .op(0, "ok", "write", "[0, 0]", 1)
                .op(1, "invoke", "cas", "[0, [0, 1]]", 2)
                .op(1, "ok", "cas", "[0, [0, 1]]", 3)
                .op(2, "invoke", "cas", "[0, [0, 2]]", 4)
                .op(2, "ok", "cas", "[0, [0, 2]]", 5));
    JsonNode k = key(r, "0");
    assertEquals(false, k.get("valid?").asBoolean(), r.toString());
    assertTrue(
        k.get("explanation")
            .asText()
            .startsWith(
                "cas from 0 to 2 by process 2 [t=0.004–0.005 s] succeeded, but when it had to"
                    + " take effect the key could only hold {1}."),
        k.toString());
    assertEquals(6, k.get("sub-history").size(), k.toString());
  }

  @Test
  void aReadOfAValueNobodyWroteSaysSo() {
    ObjectNode r =
        check(
            new History()
                .op(0, "invoke", "write", "[0, 1]", 0)
                .op(0, "ok", "write", "[0, 1]", 1)
                .op(1, "invoke", "read", "[0, null]", 2)
                .op(1, "ok", "read", "[0, 7]", 3));
    assertTrue(
        key(r, "0").get("explanation").asText().contains("No write or cas ever set the key to 7."),
        r.toString());
  }

  @Test
  void onlyTheBadKeyIsReported() {
    History h = new History();
    for (int key = 0; key < 5; key++) {
      h.op(0, "invoke", "write", "[" + key + ", 1]", 10L * key)
          .op(0, "ok", "write", "[" + key + ", 1]", 10L * key + 1)
          .op(0, "invoke", "write", "[" + key + ", 2]", 10L * key + 2)
          .op(0, "ok", "write", "[" + key + ", 2]", 10L * key + 3)
          .op(1, "invoke", "read", "[" + key + ", null]", 10L * key + 4)
          .op(1, "ok", "read", "[" + key + ", " + (key == 3 ? 1 : 2) + "]", 10L * key + 5);
    }
    ObjectNode r = check(h);
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals("[3]", r.get("failures").toString());
    assertEquals(5, r.get("results").size());
    assertEquals(true, key(r, "2").get("valid?").asBoolean());
    assertEquals(false, key(r, "3").get("valid?").asBoolean());
  }

  @Test
  void randomConcurrentHistoriesOfARealRegisterAreValid() {
    for (int seed = 0; seed < 50; seed++) {
      ObjectNode r =
          new LinearizabilityChecker()
              .check(RegisterHistories.valid(new SplittableRandom(seed), 400, 6, 3));
      assertEquals(true, r.get("valid?").asBoolean(), "seed " + seed + ": " + r);
    }
  }

  @Test
  void aCorruptedReadInARandomHistoryIsFound() {
    for (int seed = 0; seed < 10; seed++) {
      var ops = RegisterHistories.valid(new SplittableRandom(seed), 200, 5, 1);
      ObjectNode r = new LinearizabilityChecker().check(RegisterHistories.corruptARead(ops, 9));
      assertEquals(false, r.get("valid?").asBoolean(), "seed " + seed + ": " + r);
    }
  }
}
