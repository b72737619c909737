package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.history.Op;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's availability checker: {@code ok-fraction} is ok completions over invocations; with
 * {@code --availability total} it must be 1, with a number at least that number.
 */
public final class AvailabilityChecker implements Checker {
  private final @Nullable String requirement;

  /** Creates a checker for {@code null} (anything goes), {@code total} or a fraction. */
  public AvailabilityChecker(@Nullable String requirement) {
    this.requirement = requirement;
  }

  @Override
  public ObjectNode check(List<Op> history) {
    long invokes = 0;
    long oks = 0;
    for (Op op : history) {
      if (op.nemesis()) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        invokes++;
      } else if (op.type() == Op.Type.OK) {
        oks++;
      }
    }
    double fraction = invokes == 0 ? 1.0 : (double) oks / invokes;
    boolean valid =
        requirement == null
            || (requirement.equals("total")
                ? oks == invokes
                : fraction >= Double.parseDouble(requirement));
    ObjectNode r = Checks.result(Validity.of(valid));
    r.put("ok-fraction", fraction);
    return r;
  }
}
