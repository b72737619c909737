package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {
  @Test
  void finalReadsMayIncludeAnySubsetOfIndefiniteAdds() {
    ObjectNode r =
        new CounterChecker()
            .check(
                new History()
                    .op(0, "invoke", "add", "3", 0)
                    .op(0, "ok", "add", "3", 1)
                    .op(1, "invoke", "add", "5", 2)
                    .op(1, "info", "add", "5", 3)
                    .op(2, "invoke", "read", null, 4, true)
                    .op(2, "ok", "read", "8", 5, true)
                    .op(3, "invoke", "read", null, 4, true)
                    .op(3, "ok", "read", "4", 5, true)
                    .ops());
    assertEquals(false, r.get("valid?").asBoolean());
    assertEquals("[[3,3],[8,8]]", r.get("acceptable").toString());
    assertEquals(1, r.get("errors").size());
    assertEquals(4, r.at("/errors/0/value").asInt());
  }

  @Test
  void withoutAFinalReadTheVerdictIsUnknown() {
    ObjectNode r =
        new CounterChecker()
            .check(new History().op(0, "invoke", "add", "3", 0).op(0, "ok", "add", "3", 1).ops());
    assertEquals("unknown", r.get("valid?").asText());
  }

  @Property(tries = 200)
  void theRangeSetHoldsExactlyTheSubsetSums(
      @ForAll @Size(max = 8) List<@IntRange(min = -5, max = 4) Integer> deltas,
      @ForAll @IntRange(min = -20, max = 20) int base) {
    RangeSet set = new RangeSet(base);
    Set<Long> sums = new HashSet<>(List.of((long) base));
    for (int d : deltas) {
      set.unionShifted(d);
      for (long s : new ArrayList<>(sums)) {
        sums.add(s + d);
      }
    }
    for (long v = base - 50L; v <= base + 50L; v++) {
      assertEquals(sums.contains(v), set.contains(v), "value " + v);
    }
    assertTrue(set.ranges().size() <= sums.size());
  }
}
