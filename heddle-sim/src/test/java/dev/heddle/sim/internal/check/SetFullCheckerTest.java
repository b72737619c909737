package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SetFullCheckerTest {
  private final SetFullChecker checker = new SetFullChecker("add");

  @Test
  void anElementSeenByEveryLaterReadIsStableWithItsLatency() {
    ObjectNode r =
        checker.check(
            new History()
                .op(0, "invoke", "add", "1", 0)
                .op(0, "ok", "add", "1", 10)
                .op(1, "invoke", "read", null, 20)
                .op(1, "ok", "read", "[]", 30)
                .op(1, "invoke", "read", null, 40)
                .op(1, "ok", "read", "[1]", 50)
                .ops());
    assertEquals(true, r.get("valid?").asBoolean());
    assertEquals(1, r.get("stable-count").asInt());
    assertEquals(1, r.get("stale-count").asInt());
    assertEquals(10, r.at("/stable-latencies/1").asLong());
  }

  @Test
  void anAcknowledgedElementMissingFromTheLastReadsIsLost() {
    ObjectNode r =
        checker.check(
            new History()
                .op(0, "invoke", "add", "1", 0)
                .op(0, "ok", "add", "1", 10)
                .op(1, "invoke", "read", null, 20)
                .op(1, "ok", "read", "[1]", 30)
                .op(1, "invoke", "read", null, 40)
                .op(1, "ok", "read", "[]", 50)
                .ops());
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals("[1]", r.get("lost").toString());
    assertEquals(
        10,
        r.at("/lost-latencies/0").asLong(),
        "from known (10 ms) to the last read that saw it (20 ms)");
  }

  @Test
  void anElementNoReadCouldHaveSeenIsNeverReadAndTheVerdictUnknown() {
    ObjectNode r =
        checker.check(
            new History()
                .op(1, "invoke", "read", null, 0)
                .op(1, "ok", "read", "[]", 5)
                .op(0, "invoke", "add", "1", 10)
                .op(0, "info", "add", "1", 20)
                .ops());
    assertEquals("unknown", r.get("valid?").asText());
    assertEquals("[1]", r.get("never-read").toString());
  }

  @Test
  void duplicatesInAReadAreInvalid() {
    ObjectNode r =
        checker.check(
            new History()
                .op(0, "invoke", "add", "1", 0)
                .op(0, "ok", "add", "1", 10)
                .op(1, "invoke", "read", null, 20)
                .op(1, "ok", "read", "[1, 1]", 30)
                .ops());
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals(1, r.get("duplicated-count").asInt());
  }
}
