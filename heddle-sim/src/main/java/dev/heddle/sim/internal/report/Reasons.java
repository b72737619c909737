package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.JsonNode;

/** Explains in one line why a checker did not say valid. */
final class Reasons {
  private Reasons() {}

  static String of(String key, JsonNode part) {
    String verdict = part.path("valid?").toString();
    String why =
        switch (key) {
          case "stats" -> "some function never succeeded: " + failing(part.path("by-f"));
          case "availability" ->
              "ok-fraction " + part.path("ok-fraction") + " is below the required availability";
          case "workload" -> workload(part);
          default -> "";
        };
    return "valid? " + verdict + (why.isEmpty() ? "" : " — " + why);
  }

  private static String failing(JsonNode byF) {
    StringBuilder s = new StringBuilder();
    byF.properties()
        .forEach(
            e -> {
              if (e.getValue().path("ok-count").asLong() == 0) {
                s.append(s.isEmpty() ? "" : ", ").append(e.getKey());
              }
            });
    return s.toString();
  }

  private static String workload(JsonNode w) {
    if (w.path("lost-count").asLong() > 0) {
      return w.path("lost-count").asLong()
          + " acknowledged element(s) lost: "
          + shorten(w.path("lost"));
    }
    if (w.path("duplicated-count").asLong() > 0) {
      return w.path("duplicated-count").asLong() + " duplicated: " + shorten(w.path("duplicated"));
    }
    if (w.has("final-reads")) {
      if (w.path("errors").size() > 0) {
        return "final reads "
            + shorten(w.path("final-reads"))
            + " outside the acceptable range "
            + shorten(w.path("acceptable"));
      }
      return "no final read succeeded";
    }
    if (w.path("failures").size() > 0) {
      String first = w.path("failures").get(0).asText();
      return w.path("failures").size()
          + " key(s) not linearizable: "
          + shorten(w.path("failures"))
          + "; key "
          + first
          + ": "
          + w.path("results").path(first).path("explanation").asText();
    }
    if (w.path("anomaly-types").size() > 0 && w.has("model")) {
      return "anomalies "
          + shorten(w.path("anomaly-types"))
          + " checked for "
          + w.path("model").asText();
    }
    if (w.has("errors") && w.path("errors").size() > 0) {
      return w.path("errors").size() + " error(s), first: " + shorten(w.path("errors").get(0));
    }
    if (w.has("stable-count") && w.path("stable-count").asLong() == 0) {
      return "no element was ever read back (stable-count 0)";
    }
    return "";
  }

  private static String shorten(JsonNode v) {
    String s = v.toString();
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
