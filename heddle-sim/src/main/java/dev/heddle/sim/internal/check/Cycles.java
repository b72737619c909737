package dev.heddle.sim.internal.check;

import static dev.heddle.sim.internal.check.Txns.RT;
import static dev.heddle.sim.internal.check.Txns.RW;
import static dev.heddle.sim.internal.check.Txns.RW_RT;
import static dev.heddle.sim.internal.check.Txns.WR;
import static dev.heddle.sim.internal.check.Txns.WW;
import static dev.heddle.sim.internal.check.Txns.WW_RT;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cycle search in a transaction dependency graph (for each txn, the txns it has an edge to and the
 * edge's kinds): strongly connected components, and the most severe cycle inside one, searched as
 * Elle does with growing sets of edge kinds: G0 (ww), G1c (ww, wr), G-single (exactly one rw),
 * G2-item (any), then the same with real-time edges (and the ww and rw edges only real time
 * implies, labelled ww-realtime and rw-realtime), named with a {@code -realtime} suffix.
 */
final class Cycles {
  /** How many nodes the G-single search may visit in one component before it gives up. */
  private static final long SINGLE_BUDGET = 5_000_000;

  /**
   * A cycle.
   *
   * @param type G0, G1c, G-single or G2-item, optionally with {@code -realtime}
   * @param txns the txns in cycle order
   * @param edges the kind of the edge from each txn to the next (the last to the first)
   */
  record Found(String type, List<Integer> txns, List<String> edges) {}

  private Cycles() {}

  /** Returns the most severe cycle in a strongly connected component of two or more txns. */
  static Found classify(List<Map<Integer, Integer>> graph, List<Integer> scc) {
    // the component alone, its nodes numbered 0..k-1, so each search costs its size, not the
    // graph's
    Map<Integer, Integer> local = new HashMap<>();
    for (int i = 0; i < scc.size(); i++) {
      local.put(scc.get(i), i);
    }
    List<Map<Integer, Integer>> g = new ArrayList<>(scc.size());
    Set<Integer> in = new HashSet<>();
    for (int i = 0; i < scc.size(); i++) {
      Map<Integer, Integer> out = new HashMap<>();
      graph
          .get(scc.get(i))
          .forEach(
              (to, kind) -> {
                Integer j = local.get(to);
                if (j != null) {
                  out.put(j, kind);
                }
              });
      g.add(out);
      in.add(i);
    }
    Found f = severest(g, in);
    return new Found(f.type(), f.txns().stream().map(scc::get).toList(), f.edges());
  }

  private static Found severest(List<Map<Integer, Integer>> g, Set<Integer> in) {
    for (boolean realtime : new boolean[] {false, true}) {
      String suffix = realtime ? "-realtime" : "";
      int ww = realtime ? WW | WW_RT | RT : WW;
      int rw = realtime ? RW | RW_RT : RW;
      List<Integer> c = cycle(g, in, ww);
      if (c != null) {
        return found("G0" + suffix, g, c, ww, -1);
      }
      c = cycle(g, in, ww | WR);
      if (c != null) {
        return found("G1c" + suffix, g, c, ww | WR, -1);
      }
      c = singleRw(g, in, rw, ww | WR);
      if (c != null) {
        return found("G-single" + suffix, g, c, ww | WR, 0);
      }
      c = cycle(g, in, ww | WR | rw);
      if (c != null) {
        return found("G2-item" + suffix, g, c, ww | WR | rw, -1);
      }
    }
    throw new IllegalStateException("a strongly connected component without a cycle");
  }

  private static Found found(
      String type, List<Map<Integer, Integer>> g, List<Integer> c, int mask, int rwAt) {
    List<String> edges = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      if (i == rwAt) {
        boolean known = (g.get(c.get(i)).getOrDefault(c.get(i + 1), 0) & RW) != 0;
        edges.add(known ? "rw" : "rw-realtime");
        continue;
      }
      int kind = g.get(c.get(i)).getOrDefault(c.get((i + 1) % c.size()), 0) & mask;
      edges.add(
          (kind & WW) != 0
              ? "ww"
              : (kind & WR) != 0
                  ? "wr"
                  : (kind & RW) != 0
                      ? "rw"
                      : (kind & WW_RT) != 0
                          ? "ww-realtime"
                          : (kind & RW_RT) != 0 ? "rw-realtime" : "realtime");
    }
    return new Found(type, List.copyOf(c), List.copyOf(edges));
  }

  /** A short cycle using only edges of the mask's kinds, or null when there is none. */
  private static @Nullable List<Integer> cycle(
      List<Map<Integer, Integer>> g, Set<Integer> in, int mask) {
    for (List<Integer> sub : sccs(g, in, mask)) {
      if (sub.size() < 2) {
        continue;
      }
      Set<Integer> within = new HashSet<>(sub);
      List<Integer> best = null;
      // a few starts give a shorter cycle; every node of the component lies on one
      for (int i = 0; i < Math.min(8, sub.size()); i++) {
        int s = sub.get(i);
        List<Integer> path = path(g, within, mask, s, s);
        if (path != null && (best == null || path.size() < best.size())) {
          best = path;
        }
      }
      return best;
    }
    return null;
  }

  /** A cycle with one edge of the rw kinds (first) and the rest of the mask's kinds, or null. */
  private static @Nullable List<Integer> singleRw(
      List<Map<Integer, Integer>> g, Set<Integer> in, int rw, int mask) {
    long budget = SINGLE_BUDGET;
    for (int a : in) {
      for (Map.Entry<Integer, Integer> e : g.get(a).entrySet()) {
        int b = e.getKey();
        if ((e.getValue() & rw) == 0 || !in.contains(b) || budget <= 0) {
          continue;
        }
        budget -= in.size();
        List<Integer> back = path(g, in, mask, b, a);
        if (back != null) {
          List<Integer> c = new ArrayList<>();
          c.add(a);
          c.addAll(back);
          return c;
        }
      }
    }
    return null;
  }

  /**
   * A shortest path from {@code from} to {@code to} over edges of the mask's kinds inside {@code
   * within}, as the nodes from {@code from} up to the one before {@code to}; null when none.
   */
  private static @Nullable List<Integer> path(
      List<Map<Integer, Integer>> g, Set<Integer> within, int mask, int from, int to) {
    Map<Integer, Integer> parent = new HashMap<>();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    q.add(from);
    parent.put(from, -1);
    while (!q.isEmpty()) {
      int u = q.poll();
      for (Map.Entry<Integer, Integer> e : g.get(u).entrySet()) {
        int w = e.getKey();
        if ((e.getValue() & mask) == 0 || !within.contains(w)) {
          continue;
        }
        if (w == to) {
          List<Integer> c = new ArrayList<>();
          for (int x = u; x != -1; x = parent.getOrDefault(x, -1)) {
            c.addFirst(x);
          }
          return c;
        }
        if (parent.putIfAbsent(w, u) == null) {
          q.add(w);
        }
      }
    }
    return null;
  }

  /**
   * Returns the strongly connected components (iterative Tarjan) of the graph restricted to the
   * nodes in {@code within} (all when null) and to edges with a kind in {@code mask}.
   */
  static List<List<Integer>> sccs(
      List<Map<Integer, Integer>> g, @Nullable Set<Integer> within, int mask) {
    int n = g.size();
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] on = new boolean[n];
    Arrays.fill(index, -1);
    int[][] adj = new int[n][];
    for (int v = 0; v < n; v++) {
      if (within != null && !within.contains(v)) {
        continue;
      }
      adj[v] =
          g.get(v).entrySet().stream()
              .filter(e -> (e.getValue() & mask) != 0)
              .filter(e -> within == null || within.contains(e.getKey()))
              .mapToInt(Map.Entry::getKey)
              .toArray();
    }
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> out = new ArrayList<>();
    int counter = 0;
    int[] it = new int[n];
    ArrayDeque<Integer> call = new ArrayDeque<>();
    for (int s = 0; s < n; s++) {
      if (index[s] != -1 || adj[s] == null) {
        continue;
      }
      call.push(s);
      index[s] = low[s] = counter++;
      stack.push(s);
      on[s] = true;
      while (!call.isEmpty()) {
        int v = call.element();
        int[] next = adj[v];
        if (it[v] < next.length) {
          int w = next[it[v]++];
          if (index[w] == -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            on[w] = true;
            call.push(w);
          } else if (on[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          call.pop();
          if (!call.isEmpty()) {
            int p = call.element();
            low[p] = Math.min(low[p], low[v]);
          }
          if (low[v] == index[v]) {
            List<Integer> c = new ArrayList<>();
            int w;
            do {
              w = stack.pop();
              on[w] = false;
              c.add(w);
            } while (w != v);
            out.add(c);
          }
        }
      }
    }
    return out;
  }
}
