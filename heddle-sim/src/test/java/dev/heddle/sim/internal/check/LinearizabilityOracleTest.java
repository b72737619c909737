package dev.heddle.sim.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search agrees with brute force (every order that respects real time, each op of unknown
 * outcome placed anywhere after its invocation or left out) on small random histories, valid and
 * not; and every reported sub-history is itself rejected.
 */
class LinearizabilityOracleTest {
  @Test
  void theSearchAgreesWithBruteForceOnSmallRandomHistories() {
    int invalid = 0;
    for (int seed = 0; seed < 2000; seed++) {
      List<Op> ops = random(new SplittableRandom(seed), 7);
      ObjectNode r = new LinearizabilityChecker().check(ops);
      List<Checks.Pair> pairs = Checks.pairs(ops);
      boolean expected =
          pairs.isEmpty()
              || brute(
                  KeyHistory.of(Json.canonical(Json.MAPPER.getNodeFactory().numberNode(0)), pairs)
                      .ops(),
                  0,
                  RegisterOp.NIL);
      assertEquals(Validity.of(expected), Checks.validity(r), "seed " + seed + ": " + ops);
      if (!expected) {
        invalid++;
        JsonNode sub = r.at("/results/0/sub-history");
        assertEquals(
            Validity.INVALID,
            Checks.validity(new LinearizabilityChecker().check(reread(sub))),
            "seed " + seed + " sub-history " + sub);
      }
    }
    assertEquals(true, invalid > 200 && invalid < 1800, "a mix of valid and invalid: " + invalid);
  }

  /** Whether the ops not yet in {@code done} can follow in some order from {@code state}. */
  private static boolean brute(List<RegisterOp> ops, long done, int state) {
    boolean allUnsure = true;
    for (int i = 0; i < ops.size(); i++) {
      if ((done & (1L << i)) == 0 && ops.get(i).definite()) {
        allUnsure = false;
      }
    }
    if (allUnsure) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if ((done & (1L << i)) != 0 || !minimal(ops, done, i)) {
        continue;
      }
      int after = ops.get(i).apply(state);
      if (after >= 0 && brute(ops, done | (1L << i), after)) {
        return true;
      }
    }
    return false;
  }

  /** Whether no remaining definite op returned before op {@code i} was invoked. */
  private static boolean minimal(List<RegisterOp> ops, long done, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if ((done & (1L << j)) == 0
          && ops.get(j).definite()
          && ops.get(j).returnIndex() < ops.get(i).invoke().index()) {
        return false;
      }
    }
    return true;
  }

  private static List<Op> random(SplittableRandom random, int n) {
    History h = new History();
    int[] busy = new int[3];
    ArrayNode[] value = new ArrayNode[3];
    String[] f = new String[3];
    int invoked = 0;
    while (invoked < n || busy[0] + busy[1] + busy[2] > 0) {
      int p = random.nextInt(3);
      if (busy[p] == 0) {
        if (invoked == n) {
          continue;
        }
        invoked++;
        busy[p] = 1;
        value[p] = Json.MAPPER.createArrayNode().add(0);
        int dice = random.nextInt(3);
        f[p] = dice == 0 ? "read" : dice == 1 ? "write" : "cas";
        switch (f[p]) {
          case "read" -> value[p].addNull();
          case "write" -> value[p].add(random.nextInt(3));
          default -> value[p].addArray().add(random.nextInt(3)).add(random.nextInt(3));
        }
        h.append(Op.Type.INVOKE, f[p], value[p], p, 0, null, false, null);
        continue;
      }
      busy[p] = 0;
      int dice = random.nextInt(10);
      Op.Type type = dice < 7 ? Op.Type.OK : dice < 9 ? Op.Type.INFO : Op.Type.FAIL;
      JsonNode v = value[p];
      if (f[p].equals("read") && type == Op.Type.OK) {
        int read = random.nextInt(4);
        v = Json.MAPPER.createArrayNode().add(0).add(read == 3 ? null : read);
      }
      h.append(type, f[p], v, p, 0, null, false, null);
    }
    return new ArrayList<>(h.ops());
  }

  private static List<Op> reread(JsonNode sub) {
    History h = new History();
    for (JsonNode o : sub) {
      h.append(
          Op.Type.valueOf(o.get("type").asText().toUpperCase(java.util.Locale.ROOT)),
          o.get("f").asText(),
          o.get("value"),
          o.get("process").asInt(),
          o.get("time").asLong(),
          null,
          false,
          null);
    }
    return new ArrayList<>(h.ops());
  }
}
