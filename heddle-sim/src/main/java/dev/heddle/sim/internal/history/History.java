package dev.heddle.sim.internal.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The run's history of ops, in the order they happened. Loop thread only while running. */
public final class History {
  private final List<Op> ops = new ArrayList<>();
  private volatile int invokes;
  private volatile int oks;
  private volatile int fails;
  private volatile int infos;

  /** Appends an op and returns it. */
  // Only the loop thread appends, so the counters have a single writer and no update is lost;
  // they are volatile only so that the progress thread reads fresh values.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  public Op append(
      Op.Type type,
      String f,
      @Nullable JsonNode value,
      int process,
      long time,
      @Nullable JsonNode error,
      boolean isFinal,
      @Nullable String node) {
    Op op = new Op(ops.size(), type, f, value, process, time, error, isFinal, node);
    ops.add(op);
    if (process != Op.NEMESIS) {
      switch (type) {
        case INVOKE -> invokes++;
        case OK -> oks++;
        case FAIL -> fails++;
        case INFO -> infos++;
      }
    }
    return op;
  }

  /** Returns every op; do not call while the run is going. */
  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  /** Returns {invokes, oks, fails, infos} of client ops so far. Any thread. */
  public int[] counts() {
    return new int[] {invokes, oks, fails, infos};
  }
}
