package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class UniqueIdsCheckerTest {
  @Test
  void anIdHandedOutTwiceIsADuplicateWhateverItsJsonSpelling() {
    ObjectNode r =
        new UniqueIdsChecker()
            .check(
                new History()
                    .op(0, "invoke", "generate", null, 0)
                    .op(0, "ok", "generate", "7", 1)
                    .op(1, "invoke", "generate", null, 0)
                    .op(1, "ok", "generate", "7.0e0", 1)
                    .op(2, "invoke", "generate", null, 0)
                    .op(2, "ok", "generate", "12345678901", 1)
                    .op(3, "invoke", "generate", null, 0)
                    .op(3, "ok", "generate", "12345678901", 1)
                    .op(4, "invoke", "generate", null, 0)
                    .op(4, "info", "generate", null, 1)
                    .ops());
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals(5, r.get("attempted-count").asInt());
    assertEquals(4, r.get("acknowledged-count").asInt());
    assertEquals(1, r.get("duplicated-count").asInt());
    assertEquals("[7,12345678901]", r.get("range").toString().replace("7.0", "7"));
  }
}
