package dev.heddle.sim.internal.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Jepsen's partition shapes as grudges (each node → the nodes it no longer hears from): {@code one}
 * isolates a node; {@code minority-third} cuts off up to a third; {@code majority} bisects; {@code
 * majorities-ring} lets every node see a majority, but no two the same one.
 */
public final class Partitions {
  /** The shapes, in the order the nemesis draws from. */
  public static final List<String> SPECS =
      List.of("one", "minority-third", "majority", "majorities-ring");

  private Partitions() {}

  /** Draws a grudge of the given shape over the nodes. */
  public static Map<String, List<String>> grudge(
      String spec, List<String> nodes, SplittableRandom random) {
    List<String> shuffled = shuffle(nodes, random);
    int n = shuffled.size();
    return switch (spec) {
      case "one" -> complete(shuffled.subList(0, 1), shuffled.subList(1, n));
      case "minority-third" -> {
        int k = Math.max(1, n / 3);
        yield complete(shuffled.subList(0, k), shuffled.subList(k, n));
      }
      case "majority" -> complete(shuffled.subList(0, n / 2), shuffled.subList(n / 2, n));
      default -> ring(shuffled);
    };
  }

  static List<String> shuffle(List<String> nodes, SplittableRandom random) {
    List<String> out = new ArrayList<>(nodes);
    for (int i = out.size() - 1; i > 0; i--) {
      Collections.swap(out, i, random.nextInt(i + 1));
    }
    return out;
  }

  private static Map<String, List<String>> complete(List<String> a, List<String> b) {
    Map<String, List<String>> g = new TreeMap<>();
    a.forEach(x -> g.put(x, List.copyOf(b)));
    b.forEach(x -> g.put(x, List.copyOf(a)));
    return g;
  }

  private static Map<String, List<String>> ring(List<String> ring) {
    int n = ring.size();
    int m = n / 2 + 1;
    Map<String, List<String>> g = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> visible = new ArrayList<>();
      for (int d = -(m - 1) / 2; visible.size() < m; d++) {
        visible.add(ring.get(Math.floorMod(i + d, n)));
      }
      List<String> cut = new ArrayList<>(ring);
      cut.removeAll(visible);
      g.put(ring.get(i), cut);
    }
    return new TreeMap<>(g);
  }
}
