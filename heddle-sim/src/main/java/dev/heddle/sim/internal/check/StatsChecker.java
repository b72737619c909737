package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Jepsen's stats checker: completions by type and by f; valid iff every f has some ok. */
public final class StatsChecker implements Checker {
  @Override
  public ObjectNode check(List<Op> history) {
    long[] total = new long[4];
    Map<String, long[]> byF = new TreeMap<>();
    for (Op op : history) {
      if (op.nemesis() || op.type() == Op.Type.INVOKE) {
        continue;
      }
      long[] c = byF.computeIfAbsent(op.f(), f -> new long[4]);
      c[0]++;
      total[0]++;
      int slot = op.type() == Op.Type.OK ? 1 : op.type() == Op.Type.FAIL ? 2 : 3;
      c[slot]++;
      total[slot]++;
    }
    boolean valid = byF.values().stream().allMatch(c -> c[1] > 0);
    ObjectNode r = Checks.result(Validity.of(valid));
    counts(r, total);
    ObjectNode fs = r.putObject("by-f");
    byF.forEach(
        (f, c) -> {
          ObjectNode o = Checks.result(Validity.of(c[1] > 0));
          counts(o, c);
          fs.set(f, o);
        });
    return r;
  }

  private static void counts(ObjectNode o, long[] c) {
    o.put("count", c[0]);
    o.put("ok-count", c[1]);
    o.put("fail-count", c[2]);
    o.put("info-count", c[3]);
  }

  /** Returns an empty stats result, used when no op ran. */
  static ObjectNode empty() {
    ObjectNode r = Checks.result(Validity.VALID);
    counts(r, new long[4]);
    r.set("by-f", Json.object());
    return r;
  }
}
