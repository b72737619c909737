package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.nemesis.Nemesis;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders report.html: self-contained (inline CSS and SVG, no script, nothing fetched). */
final class HtmlReport {
  private static final String CSS =
      "body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}"
          + "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}"
          + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}"
          + ".valid{color:#2ca02c}.invalid{color:#d62728}.unknown{color:#ff7f0e}pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}"
          + ".scroll{overflow:auto;max-height:800px;border:1px solid #ddd}"
          + ".anomaly{margin:10px 0 18px}.anomaly p{margin:4px 0;font-size:13px}.anomaly .note{color:#555}";

  private HtmlReport() {}

  static String render(RunData data) {
    StringBuilder h = new StringBuilder();
    Validity v = Checks.validity(data.results());
    String cls = v.name().toLowerCase(Locale.ROOT);
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>heddle sim: ")
        .append(Html.escape(data.config().workload()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>");
    h.append("<h1>")
        .append(Html.escape(data.config().workload()))
        .append(" — <span class=\"")
        .append(cls)
        .append("\">valid? ")
        .append(v == Validity.UNKNOWN ? "unknown" : v == Validity.VALID ? "true" : "false")
        .append("</span></h1>");
    h.append("<p>")
        .append(Html.escape(String.join(" ", data.config().command())))
        .append("<br>")
        .append(data.config().nodes().size())
        .append(" nodes, seed <b>")
        .append(data.config().seed())
        .append("</b>, rate ")
        .append(data.config().rate())
        .append("/s, time limit ")
        .append(data.config().timeLimitSeconds())
        .append(" s, latency ")
        .append(data.config().latencyMillis())
        .append(" ms ")
        .append(data.config().latencyDist())
        .append(", nemesis ")
        .append(Html.escape(data.config().nemesis().toString()))
        .append(", run took ")
        .append(String.format(Locale.ROOT, "%.1f", data.durationNanos() / 1e9))
        .append(" s.</p>");
    verdicts(h, data.results());
    problems(h, data.problems());
    h.append(AnomalyTimeline.section(data.results().path("workload"), data.history()));
    h.append(
            "<h2>Latency</h2><p>Each dot is one operation (at its invocation time); lines are quantiles per time bucket. Shaded: nemesis periods.</p>")
        .append(Charts.latency(data));
    h.append("<h2>Request rate</h2>").append(Charts.rate(data));
    h.append("<h2>Messages</h2>").append(Charts.messages(data));
    messageTables(h, data);
    periods(h, data.periods());
    h.append("<h2>Message diagram</h2>");
    int shown = Math.min(data.journal().entries().size(), LamportDiagram.MAX_MESSAGES);
    h.append("<p>The first ")
        .append(shown)
        .append(" messages")
        .append(
            data.net().all().msgs() > shown
                ? " of " + data.net().all().msgs() + " (the diagram is for small runs)"
                : "")
        .append(
            ". Blue: client traffic; green: replies; red crosses: dropped. Hover for bodies.</p>");
    h.append("<div class=\"scroll\">")
        .append(LamportDiagram.render(data.journal()))
        .append("</div>");
    h.append("<h2>results.json</h2><details><summary>show</summary><pre>")
        .append(Html.escape(Json.pretty(data.results())))
        .append("</pre></details>");
    return h.append("</body></html>\n").toString();
  }

  private static void verdicts(StringBuilder h, JsonNode results) {
    h.append("<h2>Verdict</h2><table><tr><th>checker</th><th>valid?</th><th>why</th></tr>");
    for (String key : List.of("workload", "stats", "availability", "net")) {
      JsonNode part = results.path(key);
      Validity pv = Checks.validity(part);
      h.append("<tr><td>")
          .append(key)
          .append("</td><td class=\"")
          .append(pv.name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append(part.path("valid?"))
          .append("</td><td>")
          .append(pv == Validity.VALID ? "" : Html.escape(Reasons.of(key, part)))
          .append("</td></tr>");
    }
    if (results.has("init-failed")) {
      h.append("<tr><td>init</td><td class=\"unknown\">unknown</td><td>no init_ok from ")
          .append(Html.escape(results.get("init-failed").toString()))
          .append(" within 10 s; the workload did not run</td></tr>");
    }
    h.append("</table>");
    JsonNode w = results.path("workload");
    if (w.has("stable-latencies")) {
      h.append("<p>Stable latencies (ms): ")
          .append(Html.escape(w.get("stable-latencies").toString()))
          .append("; lost: ")
          .append(w.path("lost-count"))
          .append(", never read: ")
          .append(w.path("never-read-count"))
          .append("</p>");
    }
    JsonNode net = results.path("net");
    h.append("<p>msgs-per-op: all ")
        .append(net.at("/all/msgs-per-op"))
        .append(", servers ")
        .append(net.at("/servers/msgs-per-op"))
        .append("</p>");
  }

  private static void problems(StringBuilder h, Problems problems) {
    if (problems.isEmpty()) {
      return;
    }
    h.append(
        "<h2>What the nodes did wrong</h2><p>The run went on; these are the node programs' mistakes, not the simulator's.</p><table><tr><th>node</th><th>kind</th><th>count</th><th>what it means</th><th>first occurrences</th></tr>");
    for (Problems.Entry e : problems.entries()) {
      h.append("<tr><td>")
          .append(Html.escape(e.node()))
          .append("</td><td>")
          .append(e.kind().key())
          .append("</td><td>")
          .append(e.count())
          .append("</td><td>")
          .append(Html.escape(e.kind().sentence()))
          .append("</td><td><pre>")
          .append(Html.escape(String.join("\n", e.samples())))
          .append("</pre></td></tr>");
    }
    h.append("</table>");
  }

  private static void messageTables(StringBuilder h, RunData data) {
    h.append(
        "<table style=\"display:inline-table;margin-right:20px;vertical-align:top\"><tr><th>endpoint</th><th>sent</th><th>received</th></tr>");
    for (Map.Entry<String, long[]> e : data.net().byEndpoint().entrySet()) {
      h.append("<tr><td>")
          .append(Html.escape(e.getKey()))
          .append("</td><td>")
          .append(e.getValue()[0])
          .append("</td><td>")
          .append(e.getValue()[1])
          .append("</td></tr>");
    }
    h.append(
        "</table><table style=\"display:inline-table;margin-right:20px;vertical-align:top\"><tr><th>body type</th><th>sent</th></tr>");
    data.net().byType().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(40)
        .forEach(
            e ->
                h.append("<tr><td>")
                    .append(Html.escape(e.getKey()))
                    .append("</td><td>")
                    .append(e.getValue())
                    .append("</td></tr>"));
    h.append(
        "</table><table style=\"display:inline-table;vertical-align:top\"><tr><th>dropped because</th><th>deliveries</th></tr>");
    data.net()
        .drops()
        .forEach(
            (k, n) ->
                h.append("<tr><td>")
                    .append(Html.escape(k))
                    .append("</td><td>")
                    .append(n)
                    .append("</td></tr>"));
    h.append("</table>");
  }

  private static void periods(StringBuilder h, List<Nemesis.Period> periods) {
    if (periods.isEmpty()) {
      return;
    }
    h.append(
        "<h2>Nemesis</h2><table><tr><th>fault</th><th>from (s)</th><th>to (s)</th><th>what</th></tr>");
    for (Nemesis.Period p : periods) {
      h.append("<tr><td style=\"color:")
          .append(Svg.color(p.fault()))
          .append("\">")
          .append(p.fault())
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", p.startNanos() / 1e9))
          .append("</td><td>")
          .append(p.endNanos() < 0 ? "end" : String.format(Locale.ROOT, "%.2f", p.endNanos() / 1e9))
          .append("</td><td>")
          .append(Html.escape(p.description()))
          .append("</td></tr>");
    }
    h.append("</table>");
  }
}
