package dev.heddle.sim.internal.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Maelstrom's broadcast topologies: grid, line, tree (tree2), tree3, tree4 and total. */
public final class Topology {
  private Topology() {}

  /** Returns each node's neighbours in the named topology. */
  public static Map<String, List<String>> of(String name, List<String> nodes) {
    Map<String, TreeSet<Integer>> links = new LinkedHashMap<>();
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      links.put(nodes.get(i), new TreeSet<>());
    }
    switch (name) {
      case "line" -> {
        for (int i = 1; i < n; i++) {
          link(links, nodes, i - 1, i);
        }
      }
      case "total" -> {
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            link(links, nodes, i, j);
          }
        }
      }
      case "tree", "tree2", "tree3", "tree4" -> {
        int k = name.equals("tree") ? 2 : name.charAt(4) - '0';
        for (int i = 1; i < n; i++) {
          link(links, nodes, (i - 1) / k, i);
        }
      }
      default -> {
        int side = (int) Math.ceil(Math.sqrt(n));
        for (int i = 0; i < n; i++) {
          if (i % side != side - 1 && i + 1 < n) {
            link(links, nodes, i, i + 1);
          }
          if (i + side < n) {
            link(links, nodes, i, i + side);
          }
        }
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    links.forEach(
        (node, set) -> {
          List<String> names = new ArrayList<>();
          set.forEach(j -> names.add(nodes.get(j)));
          out.put(node, names);
        });
    return out;
  }

  private static void link(Map<String, TreeSet<Integer>> links, List<String> nodes, int a, int b) {
    links.get(nodes.get(a)).add(b);
    links.get(nodes.get(b)).add(a);
  }
}
