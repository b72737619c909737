package dev.heddle.sim.internal.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The linearizability search for one register: Wing and Gong's algorithm with Lowe's just-in-time
 * linearization. The history is a doubly linked list of call and return entries in history order;
 * the search walks it from the head, linearizes the first call whose op the register accepts
 * (lifting its two entries out of the list), and backtracks when it reaches a return entry, whose
 * op had to take effect by then. A configuration (the set of linearized ops, the register's value)
 * that was seen before is not explored again. Ops of unknown outcome return "at infinity": their
 * return entries come last, and reaching one means every definite op is linearized, the rest never
 * having happened or happening later. One search per key, on one thread.
 */
final class RegisterSearch {
  /**
   * What the search found.
   *
   * @param outcome linearizable, not, or unknown (the step budget ran out)
   * @param failed the op (index into the ops) at whose return every explored order failed; -1 if
   *     linearizable
   * @param states the register's possible values when the search failed there (at most {@link
   *     #MAX_STATES})
   * @param previous the op linearized just before the failure, or -1
   * @param linearized the most ops linearized at once
   * @param steps the steps the search took
   */
  record Result(
      Outcome outcome,
      int failed,
      List<Integer> states,
      int previous,
      int linearized,
      long steps) {}

  /** The search's verdicts. */
  enum Outcome {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    UNKNOWN
  }

  static final int MAX_STATES = 8;

  private RegisterSearch() {}

  /** Searches for a linear order of {@code ops}, taking at most {@code budget} steps. */
  static Result run(List<RegisterOp> ops, long budget) {
    int n = ops.size();
    int head = 2 * n;
    int[] next = new int[2 * n + 1];
    int[] prev = new int[2 * n + 1];
    int[] rank = new int[2 * n];
    link(ops, head, next, prev, rank);
    Bits linearized = new Bits(n);
    Set<Config> seen = new HashSet<>();
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int state = RegisterOp.NIL;
    int failRank = -1;
    int failed = -1;
    int previous = -1;
    int most = 0;
    Set<Integer> states = new LinkedHashSet<>();
    long steps = 0;
    int entry = next[head];
    while (entry != -1) {
      if (++steps > budget) {
        return new Result(Outcome.UNKNOWN, failed, new ArrayList<>(states), previous, most, steps);
      }
      int op = entry >> 1;
      if ((entry & 1) == 1) {
        if (!ops.get(op).definite()) {
          break; // only ops of unknown outcome are left: they never happened, or happen later
        }
        if (rank[entry] > failRank) {
          failRank = rank[entry];
          failed = op;
          states.clear();
          previous = depth > 0 ? stackOp[depth - 1] : -1;
        }
        if (rank[entry] == failRank && states.size() < MAX_STATES) {
          states.add(state);
        }
        if (depth == 0) {
          return new Result(
              Outcome.NOT_LINEARIZABLE, failed, new ArrayList<>(states), previous, most, steps);
        }
        depth--;
        int undone = stackOp[depth];
        state = stackState[depth];
        linearized.flip(undone);
        unlift(undone, next, prev);
        entry = next[2 * undone];
        continue;
      }
      int after = ops.get(op).apply(state);
      if (after >= 0) {
        linearized.flip(op);
        if (seen.add(new Config(linearized.copy(), linearized.hash(), after))) {
          stackOp[depth] = op;
          stackState[depth] = state;
          depth++;
          most = Math.max(most, depth);
          state = after;
          lift(op, next, prev);
          entry = next[head];
          continue;
        }
        linearized.flip(op);
      }
      entry = next[entry];
    }
    return new Result(Outcome.LINEARIZABLE, -1, List.of(), -1, most, steps);
  }

  /** Links entries (call 2i, return 2i+1) in history order after {@code head}; -1 ends the list. */
  private static void link(List<RegisterOp> ops, int head, int[] next, int[] prev, int[] rank) {
    int n = ops.size();
    Integer[] order = new Integer[2 * n];
    long[] at = new long[2 * n];
    for (int i = 0; i < n; i++) {
      order[2 * i] = 2 * i;
      order[2 * i + 1] = 2 * i + 1;
      at[2 * i] = ops.get(i).invoke().index();
      at[2 * i + 1] = ops.get(i).returnIndex();
    }
    Arrays.sort(
        order, (a, b) -> at[a] != at[b] ? Long.compare(at[a], at[b]) : Integer.compare(a, b));
    int last = head;
    for (int r = 0; r < order.length; r++) {
      int e = order[r];
      rank[e] = r;
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = -1;
  }

  private static void lift(int op, int[] next, int[] prev) {
    for (int e : new int[] {2 * op, 2 * op + 1}) {
      next[prev[e]] = next[e];
      if (next[e] != -1) {
        prev[next[e]] = prev[e];
      }
    }
  }

  private static void unlift(int op, int[] next, int[] prev) {
    for (int e : new int[] {2 * op + 1, 2 * op}) {
      next[prev[e]] = e;
      if (next[e] != -1) {
        prev[next[e]] = e;
      }
    }
  }

  /** A configuration: which ops are linearized, and the register's value after them. */
  private static final class Config {
    private final long[] words;
    private final long hash;
    private final int state;

    Config(long[] words, long hash, int state) {
      this.words = words;
      this.hash = hash;
      this.state = state;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Config c
          && c.hash == hash
          && c.state == state
          && Arrays.equals(c.words, words);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hash * 31 + state);
    }
  }

  /** A bit set with a hash kept up to date as bits flip (an XOR of a random word per bit). */
  private static final class Bits {
    private final long[] words;
    private long hash;

    Bits(int n) {
      words = new long[(n + 63) >>> 6];
    }

    void flip(int i) {
      words[i >>> 6] ^= 1L << i;
      hash ^= mix(i);
    }

    long[] copy() {
      return words.clone();
    }

    long hash() {
      return hash;
    }

    private static long mix(long i) {
      long z = (i + 1) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
