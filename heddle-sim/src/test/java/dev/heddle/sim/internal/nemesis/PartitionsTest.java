package dev.heddle.sim.internal.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionsTest {
  private static final List<String> NODES = List.of("n0", "n1", "n2", "n3", "n4");

  @Test
  void oneIsolatesASingleNode() {
    Map<String, List<String>> g = Partitions.grudge("one", NODES, new SplittableRandom(1));
    long isolated = g.values().stream().filter(v -> v.size() == 4).count();
    assertEquals(1, isolated);
    assertTrue(g.values().stream().allMatch(v -> v.size() == 4 || v.size() == 1));
  }

  @Test
  void majorityBisects() {
    Map<String, List<String>> g = Partitions.grudge("majority", NODES, new SplittableRandom(2));
    assertEquals(2, g.values().stream().filter(v -> v.size() == 3).count());
    assertEquals(3, g.values().stream().filter(v -> v.size() == 2).count());
  }

  @Test
  void inAMajoritiesRingEveryNodeSeesADifferentMajority() {
    Map<String, List<String>> g =
        Partitions.grudge("majorities-ring", NODES, new SplittableRandom(3));
    assertEquals(5, g.size());
    g.forEach(
        (node, cut) -> {
          assertEquals(2, cut.size(), node + " sees a majority of 3");
          assertTrue(!cut.contains(node));
        });
    assertEquals(5, g.values().stream().distinct().count());
  }

  @Test
  void killTargetsAreNeverAMajority() {
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < 100; i++) {
      int n = NemesisPlan.targets(NODES, r).size();
      assertTrue(n >= 1 && n <= 2, "targets " + n);
    }
  }
}
