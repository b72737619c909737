package dev.heddle.sim.internal.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Maelstrom's broadcast topologies: grid, line, tree (tree2), tree3, tree4 and total. */
public final class Topology {
  private Topology() {}

  /** Returns each node's neighbours in the named topology. */
  public static Map<String, List<String>> of(String name, List<String> nodes) {
    int n = nodes.size();
    List<Set<Integer>> links = new ArrayList<>(n); // each node's neighbours, by index
    for (int i = 0; i < n; i++) {
      links.add(new TreeSet<>());
    }
    switch (name) {
      case "line" -> {
        for (int i = 1; i < n; i++) {
          link(links, i - 1, i);
        }
      }
      case "total" -> {
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            link(links, i, j);
          }
        }
      }
      case "tree", "tree2", "tree3", "tree4" -> {
        int k = name.equals("tree") ? 2 : name.charAt(4) - '0';
        for (int i = 1; i < n; i++) {
          link(links, (i - 1) / k, i);
        }
      }
      default -> {
        int side = (int) Math.ceil(Math.sqrt(n));
        for (int i = 0; i < n; i++) {
          if (i % side != side - 1 && i + 1 < n) {
            link(links, i, i + 1);
          }
          if (i + side < n) {
            link(links, i, i + side);
          }
        }
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> names = new ArrayList<>();
      links.get(i).forEach(j -> names.add(nodes.get(j)));
      out.put(nodes.get(i), names);
    }
    return out;
  }

  private static void link(List<Set<Integer>> links, int a, int b) {
    links.get(a).add(b);
    links.get(b).add(a);
  }
}
