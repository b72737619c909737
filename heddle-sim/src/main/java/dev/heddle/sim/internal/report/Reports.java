package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a finished run's files: results.json, test.json, history.jsonl, history.txt, report.html.
 */
public final class Reports {
  private Reports() {}

  /** Writes every file into the run directory. */
  public static void write(RunData data) throws IOException {
    Path dir = data.dir();
    Files.writeString(dir.resolve("results.json"), Json.pretty(data.results()) + "\n");
    Files.writeString(dir.resolve("test.json"), Json.pretty(test(data.config())) + "\n");
    try (BufferedWriter jsonl =
            Files.newBufferedWriter(dir.resolve("history.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter txt =
            Files.newBufferedWriter(dir.resolve("history.txt"), StandardCharsets.UTF_8)) {
      for (Op op : data.history()) {
        jsonl.write(Json.write(op.toJson()));
        jsonl.write('\n');
        txt.write(
            (op.nemesis() ? ":nemesis" : Integer.toString(op.process()))
                + "\t:"
                + op.type().key()
                + "\t:"
                + op.f()
                + "\t"
                + (op.value() == null ? "nil" : op.value().toString())
                + (op.error() == null ? "" : "\t" + op.error())
                + "\n");
      }
    }
    Files.writeString(dir.resolve("report.html"), HtmlReport.render(data));
  }

  private static ObjectNode test(SimConfig c) {
    ObjectNode o = Json.MAPPER.valueToTree(c);
    o.put("store", c.store().toString());
    return o;
  }
}
