package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The report of a key that is not linearizable: where the search failed, what the key could hold
 * then, why no order exists in words, and a small failing sub-history — the ops around the failure,
 * shrunk one op at a time while the rest still fails (so removing any one of them makes it
 * linearizable, unless the step budget ran out first).
 */
final class Failure {
  private static final int MAX_SHRINK = 200;
  private static final int NEARBY = 40;
  private static final long SHRINK_BUDGET = 20_000_000L;
  private static final long SHRINK_STEP_BUDGET = 2_000_000L;

  private Failure() {}

  static ObjectNode report(KeyHistory h, RegisterSearch.Result r) {
    RegisterOp x = h.ops().get(r.failed());
    List<RegisterOp> writers = writers(h, x);
    ObjectNode o = Checks.result(Validity.INVALID);
    o.set("op", json(x));
    if (r.previous() >= 0) {
      o.set("previous-ok", json(h.ops().get(r.previous())));
    }
    ArrayNode possible = o.putArray("possible-values");
    r.states().forEach(s -> possible.add(h.values().get(s)));
    o.put("linearized", r.linearized());
    List<RegisterOp> named = new ArrayList<>(writers);
    o.put("explanation", explain(h, x, r, writers, named));
    Sub sub = subHistory(h, x, named);
    List<Op> events = new ArrayList<>();
    for (RegisterOp op : sub.ops()) {
      events.add(op.invoke());
      if (op.completion() != null) {
        events.add(op.completion());
      }
    }
    events.sort(Comparator.comparingLong(Op::index));
    ArrayNode arr = o.putArray("sub-history");
    events.forEach(e -> arr.add(e.toJson()));
    o.put("sub-history-minimal?", sub.minimal());
    return o;
  }

  private static ObjectNode json(RegisterOp op) {
    Op done = Objects.requireNonNull(op.completion(), "the failing op completed ok");
    ObjectNode o = done.toJson();
    o.put("invoke-index", op.invoke().index());
    o.put("invoke-time", op.invoke().timeNanos());
    return o;
  }

  /** The other ops that set the value {@code x} needed (read, or cas's from), latest first. */
  private static List<RegisterOp> writers(KeyHistory h, RegisterOp x) {
    if (x.kind() == RegisterOp.Kind.WRITE) {
      return List.of();
    }
    return h.ops().stream()
        .filter(o -> !o.equals(x) && o.sets() == x.arg())
        .sorted(
            Comparator.comparing((RegisterOp o) -> o.invoke().index() > x.returnIndex())
                .thenComparingLong(o -> -o.invoke().index()))
        .limit(3)
        .toList();
  }

  /**
   * Explains the failure in words; adds the ops it names besides {@code writers} to {@code named}.
   */
  private static String explain(
      KeyHistory h,
      RegisterOp x,
      RegisterSearch.Result r,
      List<RegisterOp> writers,
      List<RegisterOp> named) {
    String held =
        r.states().stream().sorted().map(h::show).collect(Collectors.joining(", ", "{", "}"));
    StringBuilder s = new StringBuilder(describe(h, x));
    String what = x.kind() == RegisterOp.Kind.READ ? "the read" : "the cas";
    switch (x.kind()) {
      case READ ->
          s.append(" cannot be linearized: when it had to take effect, the key could only hold ")
              .append(held)
              .append('.');
      case CAS ->
          s.append(" succeeded, but when it had to take effect the key could only hold ")
              .append(held)
              .append('.');
      case WRITE ->
          s.append(
              " cannot be linearized: no order of the ops that completed by its end is"
                  + " consistent with a register.");
    }
    if (x.kind() != RegisterOp.Kind.WRITE) {
      int v = x.arg();
      if (v == RegisterOp.NIL) {
        RegisterOp before = latestBefore(h, x, -1, Long.MIN_VALUE);
        s.append(" The key has no value only before its first write");
        if (before != null) {
          named.add(before);
          s.append(", but ").append(describe(h, before)).append(" completed before ").append(what);
          s.append(" began");
        }
        s.append('.');
      } else if (writers.isEmpty()) {
        s.append(" No write or cas ever set the key to ").append(h.show(v)).append('.');
      }
      for (RegisterOp w : writers) {
        s.append(' ').append(h.show(v)).append(" was set by ").append(describe(h, w));
        if (w.invoke().index() > x.returnIndex()) {
          s.append(", which began only after ").append(what).append(" returned");
        } else if (w.definite()) {
          RegisterOp over = latestBefore(h, x, v, w.returnIndex());
          if (over != null) {
            named.add(over);
            s.append(", but ")
                .append(describe(h, over))
                .append(" ran entirely after it and before ")
                .append(what)
                .append(" began");
          }
        }
        s.append('.');
      }
    }
    s.append(" The search linearized at most ")
        .append(r.linearized())
        .append(" of the key's ")
        .append(h.ops().size())
        .append(" ops.");
    return s.toString();
  }

  /**
   * The definite op setting a value other than {@code v} that began after {@code after} and
   * completed last before {@code x} began, or null.
   */
  private static @Nullable RegisterOp latestBefore(KeyHistory h, RegisterOp x, int v, long after) {
    RegisterOp best = null;
    for (RegisterOp o : h.ops()) {
      if (o.definite()
          && o.sets() >= 0
          && o.sets() != v
          && o.invoke().index() > after
          && o.returnIndex() < x.invoke().index()
          && (best == null || o.returnIndex() > best.returnIndex())) {
        best = o;
      }
    }
    return best;
  }

  static String describe(KeyHistory h, RegisterOp op) {
    String what =
        switch (op.kind()) {
          case READ -> "read of " + h.show(op.arg());
          case WRITE -> "write of " + h.show(op.arg());
          case CAS -> "cas from " + h.show(op.arg()) + " to " + h.show(op.arg2());
        };
    String when =
        op.definite()
            ? "[t=" + seconds(op.invoke()) + "–" + seconds(Objects.requireNonNull(op.completion()))
            : "[invoked at t=" + seconds(op.invoke()) + ", outcome unknown";
    return what + " by process " + op.invoke().process() + " " + when + " s]";
  }

  private static String seconds(Op op) {
    return String.format(Locale.ROOT, "%.3f", op.timeNanos() / 1e9);
  }

  private record Sub(List<RegisterOp> ops, boolean minimal) {}

  /**
   * The ops from the earliest op named to the failure, shrunk; else the prefix up to the failure,
   * shrunk; else (too many to shrink) the ops nearest the failure.
   */
  private static Sub subHistory(KeyHistory h, RegisterOp x, List<RegisterOp> named) {
    long hi = x.returnIndex();
    long lo = x.invoke().index();
    for (RegisterOp w : named) {
      lo = Math.min(lo, w.invoke().index());
    }
    long from = lo;
    List<RegisterOp> window =
        h.ops().stream().filter(o -> o.invoke().index() <= hi && o.returnIndex() >= from).toList();
    List<RegisterOp> keep = new ArrayList<>(named);
    keep.add(x);
    long[] budget = {SHRINK_BUDGET};
    if (window.size() <= MAX_SHRINK && failsAt(window, x, budget)) {
      return shrink(window, x, keep, budget);
    }
    List<RegisterOp> prefix = h.ops().stream().filter(o -> o.invoke().index() <= hi).toList();
    if (prefix.size() <= MAX_SHRINK && failsAt(prefix, x, budget)) {
      return shrink(prefix, x, keep, budget);
    }
    List<RegisterOp> nearby =
        window.stream()
            .sorted(
                Comparator.comparingLong(o -> Math.abs(o.invoke().index() - x.invoke().index())))
            .limit(NEARBY)
            .sorted(Comparator.comparingLong(o -> o.invoke().index()))
            .toList();
    return new Sub(nearby, false);
  }

  /**
   * Returns whether the search fails on {@code ops} at the same op {@code x} (so a shrunk history
   * fails for the same reason, not because an earlier write it relied on was dropped).
   */
  private static boolean failsAt(List<RegisterOp> ops, RegisterOp x, long[] budget) {
    if (budget[0] <= 0) {
      return false;
    }
    RegisterSearch.Result r = RegisterSearch.run(ops, Math.min(budget[0], SHRINK_STEP_BUDGET));
    budget[0] -= r.steps();
    return r.outcome() == RegisterSearch.Outcome.NOT_LINEARIZABLE && ops.get(r.failed()).equals(x);
  }

  /** Drops ops one at a time while the rest still fails, keeping {@code keep} (the ops named). */
  private static Sub shrink(
      List<RegisterOp> ops, RegisterOp x, List<RegisterOp> keep, long[] budget) {
    List<RegisterOp> kept = new ArrayList<>(ops);
    for (int i = kept.size() - 1; i >= 0 && budget[0] > 0; i--) {
      if (keep.contains(kept.get(i))) {
        continue;
      }
      List<RegisterOp> trial = new ArrayList<>(kept);
      trial.remove(i);
      if (failsAt(trial, x, budget)) {
        kept = trial;
      }
    }
    return new Sub(kept, budget[0] > 0);
  }
}
