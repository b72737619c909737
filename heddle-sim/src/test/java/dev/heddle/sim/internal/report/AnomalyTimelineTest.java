package dev.heddle.sim.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.check.KafkaChecker;
import dev.heddle.sim.internal.check.LinearizabilityChecker;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.net.Journal;
import dev.heddle.sim.internal.net.Lag;
import dev.heddle.sim.internal.net.NetStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report's Anomalies section draws the ops a checker named. */
class AnomalyTimelineTest {
  private final History h = new History();

  private AnomalyTimelineTest op(int process, String type, String f, String value, long millis)
      throws IOException {
    h.append(
        Op.Type.valueOf(type.toUpperCase(Locale.ROOT)),
        f,
        Json.MAPPER.readTree(value),
        process,
        millis * 1_000_000,
        null,
        false,
        null);
    return this;
  }

  private String report(String workload, JsonNode checked) {
    ObjectNode results = Json.object();
    results.set("workload", checked);
    Checks.put(results, Checks.validity(checked));
    RunData data =
        new RunData(
            SimConfig.builder(workload, List.of("node")).build(),
            Path.of("."),
            h.ops(),
            new NetStats(),
            new Journal(10),
            List.of(),
            new Problems(),
            results,
            1_000_000_000L,
            new Lag());
    return HtmlReport.render(data);
  }

  private static List<String> bars(String html) {
    Matcher m = Pattern.compile("<rect class=\"op\" data-index=\"(\\d+)\"").matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void aKafkaLostWriteShowsTheSendAndItsExplanation() throws IOException {
    op(0, "invoke", "send", "[\"a\", 1]", 0);
    op(0, "ok", "send", "[\"a\", [0, 1]]", 10);
    op(0, "invoke", "send", "[\"a\", 2]", 20);
    op(0, "ok", "send", "[\"a\", [1, 2]]", 30);
    op(1, "invoke", "poll", "{\"a\": 1}", 40);
    op(1, "ok", "poll", "{\"a\": [[1, 2]]}", 50);
    op(1, "invoke", "poll", "{\"a\": 0}", 60);
    op(1, "ok", "poll", "{\"a\": [[1, 2]]}", 70);
    JsonNode w = new KafkaChecker().check(h.ops());
    assertEquals(Validity.INVALID, Checks.validity(w), w.toString());
    String html = report("kafka", w);
    assertTrue(html.contains("<h2>Anomalies</h2>"), html);
    int at = html.indexOf("<h2>Anomalies</h2>");
    String section = html.substring(at, html.indexOf("<h2>", at + 5));
    assertTrue(section.contains("<b>lost-write</b>"), section);
    // the lost send (ops 0–1) is drawn, from its invocation
    assertTrue(bars(section).contains("0"), section);
    String explanation =
        w.at("/anomalies/lost-write/0/explanation").asText().replace("\"", "&quot;");
    assertFalse(explanation.isEmpty(), w.toString());
    assertTrue(section.contains(explanation), section);
    assertTrue(section.contains("process 0"), section);
    assertTrue(section.contains("#0 send"), section);
  }

  @Test
  void aTxnCycleShowsEachTxnAndTheEdges() throws IOException {
    op(0, "invoke", "txn", "[[\"r\", 1, null], [\"w\", 2, 1]]", 0);
    op(1, "invoke", "txn", "[[\"r\", 2, null], [\"w\", 1, 1]]", 1);
    op(0, "ok", "txn", "[[\"r\", 1, 1], [\"w\", 2, 1]]", 5);
    op(1, "ok", "txn", "[[\"r\", 2, 1], [\"w\", 1, 1]]", 6);
    ObjectNode w = Checks.result(Validity.INVALID);
    w.put("model", "serializable");
    w.putObject("anomaly-types").put("G1c", 1);
    ObjectNode a = w.putArray("anomalies").addObject();
    a.put("type", "G1c");
    ObjectNode s0 = a.putArray("cycle").addObject();
    s0.put("index", 0).put("process", 0).put("edge", "wr");
    s0.set("value", h.ops().get(2).value());
    ObjectNode s1 = a.withArray("cycle").addObject();
    s1.put("index", 1).put("process", 1).put("edge", "wr");
    s1.set("value", h.ops().get(3).value());
    String html = report("txn-rw-register", w);
    assertTrue(html.contains("<h2>Anomalies</h2>"), html);
    assertEquals(List.of("0", "1"), bars(html), html);
    assertTrue(html.contains("<b>G1c</b>"), html);
    assertTrue(html.contains("txn 0 (process 0) —wr→ txn 1 (process 1) —wr→ txn 0"), html);
  }

  @Test
  void aLinearizabilityFailureMarksWhereTheSearchFailed() throws IOException {
    op(0, "invoke", "write", "[0, 1]", 0);
    op(0, "ok", "write", "[0, 1]", 10);
    op(1, "invoke", "write", "[0, 2]", 20);
    op(1, "ok", "write", "[0, 2]", 30);
    op(2, "invoke", "read", "[0, null]", 40);
    op(2, "ok", "read", "[0, 1]", 50);
    JsonNode w = new LinearizabilityChecker().check(h.ops());
    assertEquals(Validity.INVALID, Checks.validity(w), w.toString());
    String html = report("lin-kv", w);
    assertTrue(html.contains("<h2>Anomalies</h2>"), html);
    assertTrue(html.contains("not linearizable (key 0)"), html);
    assertTrue(html.contains("class=\"search-failed\""), html);
    assertTrue(html.contains(">search failed here</text>"), html);
    // the failing read is outlined
    assertTrue(Pattern.compile("data-index=\"4\"[^>]*stroke=\"#000\"").matcher(html).find(), html);
    assertTrue(html.contains("Possible values when the search failed: [2]"), html);
    assertTrue(html.contains("Previous ok op: write"), html);
    assertTrue(bars(html).containsAll(List.of("2", "4")), html);
  }

  @Test
  void aValidResultHasNoSection() {
    ObjectNode w = Checks.result(Validity.VALID);
    assertFalse(report("lin-kv", w).contains("Anomalies"));
  }
}
