package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The report's Anomalies section: for each anomaly the workload checker found (a few per type), a
 * small timeline of the operations involved — one row per process, one bar per op from its
 * invocation to its completion, coloured by outcome — with the anomaly's type and explanation as
 * caption. For a key that is not linearizable, the failing op is outlined and a vertical line marks
 * where the search failed; for a txn cycle, the caption names the edges between the txns.
 */
final class AnomalyTimeline {
  static final int PER_TYPE = 5;
  static final int TOTAL = 20;
  private static final int WIDTH = 900;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 22;
  private static final int ROW = 30;
  private static final int BOTTOM = 22;
  private static final int LABEL = 40;

  private AnomalyTimeline() {}

  /** An op: its invocation and its completion, or null when it never completed. */
  record Span(Op invoke, @Nullable Op done) {
    Op.Type outcome() {
      Op d = done;
      return d == null ? Op.Type.INFO : d.type();
    }
  }

  /**
   * One anomaly to draw.
   *
   * @param type the anomaly's type
   * @param explanation what is wrong, in words
   * @param spans the ops involved, in the order named
   * @param failing the op where the linearizability search failed, or null
   * @param notes more caption lines
   */
  record Anomaly(
      String type,
      String explanation,
      List<Span> spans,
      @Nullable Span failing,
      List<String> notes) {}

  /** Returns the section, or an empty string when the workload is not invalid or names no ops. */
  static String section(JsonNode workload, List<Op> history) {
    if (Checks.validity(workload) != Validity.INVALID) {
      return "";
    }
    List<Anomaly> anomalies = anomalies(workload, new Spans(history));
    if (anomalies.isEmpty()) {
      return "";
    }
    long end = history.isEmpty() ? 0 : history.getLast().timeNanos();
    StringBuilder h = new StringBuilder("<h2>Anomalies</h2>");
    h.append(
            "<p>The operations each anomaly involves: one row per process, one bar per operation from"
                + " its invocation to its completion (green ok, red fail, orange info: outcome unknown,"
                + " drawn to the end). Hover a bar for its value. At most ")
        .append(PER_TYPE)
        .append(" per type, ")
        .append(TOTAL)
        .append(" in all.</p>");
    for (Anomaly a : anomalies) {
      h.append("<div class=\"anomaly\"><p><b>")
          .append(Html.escape(a.type()))
          .append("</b>")
          .append(a.explanation().isEmpty() ? "" : " — " + Html.escape(a.explanation()))
          .append("</p>")
          .append(render(a, end));
      for (String note : a.notes()) {
        h.append("<p class=\"note\">").append(Html.escape(note)).append("</p>");
      }
      h.append("</div>");
    }
    return h.toString();
  }

  /** The anomalies the result lists, for lin-kv, kafka and the txn workloads. */
  static List<Anomaly> anomalies(JsonNode w, Spans spans) {
    List<Anomaly> out = new ArrayList<>();
    Map<String, Integer> perType = new HashMap<>();
    if (w.path("results").isObject() && w.has("failures")) {
      for (Map.Entry<String, JsonNode> e : w.path("results").properties()) {
        JsonNode r = e.getValue();
        if (Checks.validity(r) == Validity.INVALID && r.has("op")) {
          add(out, perType, linearizability(e.getKey(), r, spans));
        }
      }
    }
    JsonNode listed = w.path("anomalies");
    if (listed.isObject()) { // kafka: type → anomalies
      for (Map.Entry<String, JsonNode> e : listed.properties()) {
        for (JsonNode a : e.getValue()) {
          List<Span> involved = new ArrayList<>();
          for (JsonNode ref : a.path("ops")) {
            spans.add(involved, ref.path("invoke-index").asLong(ref.path("index").asLong(-1)));
          }
          String key = a.path("key").asText("");
          add(
              out,
              perType,
              new Anomaly(
                  e.getKey(),
                  a.path("explanation").asText(""),
                  involved,
                  null,
                  key.isEmpty() ? List.of() : List.of("key " + key)));
        }
      }
    } else if (listed.isArray()) { // txn workloads: cycles first, then single-txn anomalies
      List<JsonNode> ordered = new ArrayList<>();
      List<JsonNode> single = new ArrayList<>();
      listed.forEach(a -> (a.has("cycle") ? ordered : single).add(a));
      ordered.addAll(single);
      for (JsonNode a : ordered) {
        String type = a.path("type").asText("anomaly");
        List<Span> involved = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String explanation = "";
        if (a.has("cycle")) {
          StringBuilder cycle = new StringBuilder("cycle: ");
          JsonNode steps = a.get("cycle");
          for (JsonNode s : steps) {
            spans.add(involved, s.path("index").asLong(-1));
            cycle
                .append("txn ")
                .append(s.path("index").asLong())
                .append(" (process ")
                .append(s.path("process").asText())
                .append(") —")
                .append(s.path("edge").asText("?"))
                .append("→ ");
          }
          if (!steps.isEmpty()) {
            cycle.append("txn ").append(steps.get(0).path("index").asLong());
          }
          explanation = cycle.toString();
          for (JsonNode s : steps) {
            notes.add("txn " + s.path("index").asLong() + ": " + shorten(s.path("value"), 200));
          }
        } else if (a.has("index")) {
          spans.add(involved, a.path("index").asLong());
          explanation =
              "in txn " + a.path("index").asLong() + ", micro-op " + shorten(a.path("mop"), 120);
        }
        add(out, perType, new Anomaly(type, explanation, involved, null, notes));
      }
    }
    return out;
  }

  private static void add(List<Anomaly> out, Map<String, Integer> perType, Anomaly a) {
    if (a.spans().isEmpty() || out.size() >= TOTAL) {
      return;
    }
    if (perType.merge(a.type(), 1, Integer::sum) <= PER_TYPE) {
      out.add(a);
    }
  }

  private static Anomaly linearizability(String key, JsonNode r, Spans spans) {
    List<Span> involved = new ArrayList<>();
    JsonNode op = r.path("op");
    Span failing = spans.find(op.path("invoke-index").asLong(op.path("index").asLong(-1)));
    if (failing != null) {
      involved.add(failing);
    }
    JsonNode prev = r.path("previous-ok");
    if (prev.isObject()) {
      spans.add(involved, prev.path("invoke-index").asLong(prev.path("index").asLong(-1)));
    }
    for (JsonNode e : r.path("sub-history")) {
      spans.add(involved, e.path("index").asLong(-1));
    }
    List<String> notes = new ArrayList<>();
    if (prev.isObject()) {
      notes.add(
          "Previous ok op: "
              + prev.path("f").asText()
              + " "
              + shorten(prev.path("value"), 80)
              + " by process "
              + prev.path("process").asText()
              + ".");
    }
    notes.add(
        "Possible values when the search failed: "
            + shorten(r.path("possible-values"), 120)
            + "; ops linearized: "
            + r.path("linearized").asText()
            + ".");
    return new Anomaly(
        "not linearizable (key " + key + ")",
        r.path("explanation").asText(""),
        involved,
        failing,
        notes);
  }

  /** Draws one anomaly's timeline. */
  static String render(Anomaly a, long historyEnd) {
    Map<Integer, Integer> rows = new TreeMap<>();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Span s : a.spans()) {
      rows.putIfAbsent(s.invoke().process(), 0);
      lo = Math.min(lo, s.invoke().timeNanos());
      hi = Math.max(hi, end(s, historyEnd));
    }
    int r = 0;
    for (Map.Entry<Integer, Integer> e : rows.entrySet()) {
      e.setValue(r++);
    }
    double pad = Math.max(1, hi - lo) * 0.04;
    double from = Math.max(0, lo - pad);
    double to = hi + pad;
    int height = TOP + ROW * rows.size() + BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">",
            WIDTH,
            height));
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
            WIDTH,
            height));
    for (Map.Entry<Integer, Integer> e : rows.entrySet()) {
      int y = TOP + ROW * e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">process %d</text>",
              LEFT,
              y + ROW - 4,
              WIDTH - RIGHT,
              y + ROW - 4,
              LEFT - 6,
              y + ROW - 8,
              e.getKey()));
    }
    int axis = height - BOTTOM + 14;
    for (int i = 0; i <= 4; i++) {
      double t = from + (to - from) * i / 4;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s s</text>",
              x(t, from, to),
              axis,
              String.format(Locale.ROOT, "%.3f", t / 1e9)));
    }
    for (Span s : a.spans()) {
      int y = TOP + ROW * Objects.requireNonNull(rows.get(s.invoke().process()));
      double x1 = x((double) s.invoke().timeNanos(), from, to);
      double x2 = Math.max(x1 + 2, x((double) end(s, historyEnd), from, to));
      boolean failing = s.equals(a.failing());
      String label = label(s);
      b.append("<g><title>")
          .append(Html.escape(title(s)))
          .append("</title>")
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect class=\"op\" data-index=\"%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"10\" fill=\"%s\"%s%s/>",
                  s.invoke().index(),
                  x1,
                  y + ROW - 16,
                  x2 - x1,
                  Charts.color(s.outcome()),
                  s.done() == null ? " opacity=\"0.5\"" : "",
                  failing ? " stroke=\"#000\" stroke-width=\"2.5\"" : ""))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\"%s>%s</text></g>",
                  Math.min(x1, WIDTH - RIGHT - 120.0),
                  y + ROW - 19,
                  failing ? " font-weight=\"bold\"" : "",
                  Html.escape(label)));
    }
    Span f = a.failing();
    if (f != null) {
      double x = x((double) end(f, historyEnd), from, to);
      b.append(
          String.format(
              Locale.ROOT,
              "<line class=\"search-failed\" x1=\"%.1f\" y1=\"12\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"4,3\"/><text x=\"%.1f\" y=\"10\" fill=\"#d62728\" text-anchor=\"%s\">search failed here</text>",
              x,
              x,
              height - BOTTOM,
              x,
              x > WIDTH - 150 ? "end" : "middle"));
    }
    return b.append("</svg>").toString();
  }

  private static long end(Span s, long historyEnd) {
    Op d = s.done();
    return d == null || d.type() == Op.Type.INFO
        ? Math.max(historyEnd, s.invoke().timeNanos())
        : d.timeNanos();
  }

  private static double x(double t, double from, double to) {
    return LEFT + (WIDTH - LEFT - RIGHT) * (t - from) / Math.max(1, to - from);
  }

  /** The bar's label: f and the value, shortened (the completion's when it has one). */
  private static String label(Span s) {
    Op d = s.done();
    JsonNode v = d != null && d.value() != null ? d.value() : s.invoke().value();
    return "#" + s.invoke().index() + " " + s.invoke().f() + " " + shorten(v, LABEL);
  }

  private static String title(Span s) {
    Op d = s.done();
    StringBuilder t =
        new StringBuilder("op ")
            .append(s.invoke().index())
            .append(d == null ? "" : "–" + d.index())
            .append(" process ")
            .append(s.invoke().process())
            .append(' ')
            .append(s.invoke().f())
            .append(" :")
            .append(s.outcome().key())
            .append(" invoked ")
            .append(shorten(s.invoke().value(), 300));
    if (d != null) {
      t.append(", returned ").append(shorten(d.value(), 300));
      JsonNode error = d.error();
      if (error != null) {
        t.append(", error ").append(shorten(error, 200));
      }
    }
    return t.toString();
  }

  private static String shorten(@Nullable JsonNode v, int max) {
    String s = v == null || v.isMissingNode() ? "nil" : Json.write(v);
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }

  /** Finds ops by index: each invocation with its completion, from either's index. */
  static final class Spans {
    private final Map<Long, Span> byIndex = new HashMap<>();

    Spans(List<Op> history) {
      Map<Integer, Op> open = new LinkedHashMap<>();
      Map<Long, Op> invokes = new HashMap<>();
      for (Op op : history) {
        if (op.nemesis()) {
          continue;
        }
        if (op.type() == Op.Type.INVOKE) {
          Op before = open.put(op.process(), op);
          if (before != null) {
            invokes.remove(before.index());
            byIndex.put(before.index(), new Span(before, null));
          }
          invokes.put(op.index(), op);
        } else {
          Op inv = open.remove(op.process());
          if (inv != null) {
            Span s = new Span(inv, op);
            invokes.remove(inv.index());
            byIndex.put(inv.index(), s);
            byIndex.put(op.index(), s);
          }
        }
      }
      invokes.values().forEach(inv -> byIndex.put(inv.index(), new Span(inv, null)));
    }

    @Nullable Span find(long index) {
      return byIndex.get(index);
    }

    /** Adds the op with this index (invocation or completion) unless absent or already there. */
    void add(List<Span> to, long index) {
      Span s = byIndex.get(index);
      if (s != null && !to.contains(s)) {
        to.add(s);
      }
    }
  }
}
