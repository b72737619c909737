package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.check.AvailabilityChecker;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.check.NetChecker;
import dev.heddle.sim.internal.check.StatsChecker;
import dev.heddle.sim.internal.workload.Workload;
import java.util.List;

/**
 * Builds results.json with Maelstrom's top-level keys ({@code perf}, {@code timeline}, {@code
 * exceptions}, {@code stats}, {@code availability}, {@code net}, {@code workload}, {@code valid?}),
 * plus {@code problems} when nodes misbehaved, {@code init-failed} when init did, and {@code sim}
 * (seed, duration, routed messages per second, how late deliveries were: always valid).
 */
public final class Results {
  private Results() {}

  /** Runs every checker over the run's history and combines their verdicts. */
  public static ObjectNode build(RunData data, Workload workload, List<String> initFailed) {
    ObjectNode r = Json.object();
    r.set("perf", Checks.result(Validity.VALID));
    r.set("timeline", Checks.result(Validity.VALID));
    r.set("exceptions", Checks.result(Validity.VALID));
    r.set("stats", new StatsChecker().check(data.history()));
    r.set(
        "availability",
        new AvailabilityChecker(data.config().availability()).check(data.history()));
    r.set("net", new NetChecker(data.net()).check(data.history()));
    r.set("workload", workload.checker().check(data.history()));
    Validity v = Validity.VALID;
    for (JsonNode part : List.copyOf(r.properties().stream().map(e -> e.getValue()).toList())) {
      v = v.and(Checks.validity(part));
    }
    if (!initFailed.isEmpty()) {
      r.set("init-failed", Json.MAPPER.valueToTree(initFailed));
      v = v.and(Validity.UNKNOWN);
    }
    if (!data.problems().isEmpty()) {
      ArrayNode problems = r.putArray("problems");
      for (Problems.Entry e : data.problems().entries()) {
        ObjectNode p = problems.addObject();
        p.put("node", e.node());
        p.put("kind", e.kind().key());
        p.put("count", e.count());
        p.set("samples", Json.MAPPER.valueToTree(e.samples()));
      }
    }
    ObjectNode sim = r.putObject("sim");
    sim.put("seed", data.config().seed());
    sim.put("duration-s", data.durationNanos() / 1e9);
    sim.put(
        "messages-per-second",
        data.net().all().msgs() / Math.max(1e-9, data.durationNanos() / 1e9));
    ObjectNode lag = sim.putObject("delivery-lag-ms");
    for (double q : Checks.POINTS) {
      lag.put(q == 0 ? "0" : q == 1 ? "1" : Double.toString(q), data.lag().quantileMillis(q));
    }
    Checks.put(r, v);
    return r;
  }

  /** Returns the few lines printed at the end of a run. */
  public static String summary(RunData data) {
    ObjectNode r = data.results();
    StringBuilder s = new StringBuilder();
    JsonNode stats = r.path("stats");
    s.append(
        String.format(
            "Ops: %d completed (%d ok, %d fail, %d info). Messages: %d, msgs-per-op %s.%n",
            stats.path("count").asLong(),
            stats.path("ok-count").asLong(),
            stats.path("fail-count").asLong(),
            stats.path("info-count").asLong(),
            r.path("net").path("all").path("msg-count").asLong(),
            r.path("net").path("servers").path("msgs-per-op")));
    for (String key : List.of("stats", "availability", "net", "workload")) {
      JsonNode part = r.path(key);
      if (Checks.validity(part) != Validity.VALID) {
        s.append(key).append(": ").append(Reasons.of(key, part)).append('\n');
      }
    }
    if (r.has("init-failed")) {
      s.append("init failed on ").append(r.get("init-failed")).append('\n');
    }
    for (Problems.Entry e : data.problems().entries()) {
      s.append("Node ")
          .append(e.node())
          .append(' ')
          .append(e.kind().sentence())
          .append(" (")
          .append(e.count())
          .append("×)");
      if (e.kind() == Problems.Kind.EXITED || e.kind() == Problems.Kind.INIT_FAILED) {
        s.append(": ").append(e.samples().getFirst());
      }
      s.append('\n');
    }
    Validity v = Checks.validity(r);
    s.append(
        switch (v) {
          case VALID -> "Everything looks good! ヽ(‘ー`)ノ";
          case INVALID -> "Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻";
          case UNKNOWN -> "Errors occurred during analysis, but no anomalies found. ಠ~ಠ";
        });
    s.append("\nResults: ")
        .append(data.dir().resolve("results.json"))
        .append("\nReport:  ")
        .append(data.dir().resolve("report.html"));
    return s.toString();
  }
}
