package dev.heddle.sim.internal.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {
  private static final List<String> NINE =
      List.of("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8");

  @Test
  void aGridLinksUpDownLeftAndRight() {
    Map<String, List<String>> t = Topology.of("grid", NINE);
    assertEquals(List.of("n1", "n3"), t.get("n0"));
    assertEquals(List.of("n1", "n3", "n5", "n7"), t.get("n4"));
    assertEquals(List.of("n5", "n7"), t.get("n8"));
  }

  @Test
  void linesTreesAndTotal() {
    assertEquals(List.of("n0", "n2"), Topology.of("line", NINE).get("n1"));
    assertEquals(List.of("n0", "n3", "n4"), Topology.of("tree2", NINE).get("n1"));
    assertEquals(List.of("n1", "n2", "n3"), Topology.of("tree3", NINE).get("n0"));
    assertEquals(8, Topology.of("total", NINE).get("n5").size());
  }
}
