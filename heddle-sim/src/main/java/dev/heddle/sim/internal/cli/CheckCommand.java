package dev.heddle.sim.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.history.HistoryFile;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.workload.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heddle sim check}: checks a history recorded elsewhere (or by {@code sim test}). */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Checks a history file with a workload's checker and prints the verdict and the anomalies.",
      "Exit code 0 valid, 1 invalid, 2 bad input (the message names the line) or a verdict of"
          + " unknown.",
      "",
      "The file holds JSON lines, one Jepsen op per line in the order they happened:",
      "  {\"process\": 0, \"type\": \"invoke\", \"f\": \"write\", \"value\": [\"k\", 3], \"time\": 1000}",
      "  {\"process\": 0, \"type\": \"ok\", \"f\": \"write\", \"value\": [\"k\", 3], \"time\": 2000}",
      "type is invoke, ok, fail or info; process an integer (or \"nemesis\", ignored); time in"
          + " nanoseconds (optional); also optional: error, final?, node. A process completes one"
          + " op before it invokes the next. The history.jsonl that 'sim test' writes is such a"
          + " file.",
      "lin-kv values are [key, v]: a read's invoke [key, null] and its ok [key, value read];"
          + " write [key, value]; cas [key, [from, to]]. fail means it did not happen; info (or no"
          + " completion) that it may have, at any time after its invoke.",
      "txn-list-append and txn-rw-register: f is txn and the value a list of micro-ops [\"r\","
          + " k, v] and [\"append\", k, v] (or [\"w\", k, v]); an invoke's reads have v null, an"
          + " ok's the value read (a list for list-append; null for a missing key). fail (for"
          + " example error 30, txn-conflict) means the txn did not happen.",
      ""
    })
final class CheckCommand implements Callable<Integer> {
  /** Exit code for input that cannot be checked. */
  static final int BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec; // set by picocli before call()

  @Option(
      names = {"-w", "--workload"},
      description =
          "The workload whose checker to use: lin-kv, echo, unique-ids, broadcast, g-set,"
              + " g-counter, pn-counter, kafka, txn-list-append, txn-rw-register. Default:"
              + " ${DEFAULT-VALUE}.")
  String workload = "lin-kv";

  @Option(
      names = "--consistency-models",
      description =
          "For the txn workloads, comma-separated: read-uncommitted .. strict-serializable."
              + " Default: ${DEFAULT-VALUE}.")
  String consistencyModels = "strict-serializable";

  @Option(names = "--json", description = "Print the checker's whole result as JSON.")
  boolean json;

  @Parameters(index = "0", paramLabel = "FILE", description = "The history (JSON lines).")
  @Nullable Path file;

  @Override
  public Integer call() {
    PrintWriter out =
        Objects.requireNonNull(spec, "picocli injects the spec").commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path f = Objects.requireNonNull(file, "picocli requires FILE");
    if (!Workloads.KNOWN.contains(workload)) {
      return bad(err, Workloads.unknown(workload));
    }
    if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
      return bad(
          err,
          "cannot read the history "
              + f
              + ": "
              + (Files.exists(f) ? "not a readable file" : "no such file"));
    }
    HistoryFile.Read history;
    try {
      history = HistoryFile.read(f);
    } catch (HistoryFile.BadLine e) {
      return bad(err, f + " " + e.getMessage());
    } catch (IOException e) {
      return bad(err, "cannot read the history " + f + ": " + e);
    }
    Checker checker;
    try {
      checker = Workloads.checker(workload, consistencyModels);
    } catch (IllegalArgumentException e) {
      return bad(err, String.valueOf(e.getMessage()));
    }
    for (Op op : history.ops()) {
      String problem = op.nemesis() ? null : checker.malformed(op);
      if (problem != null) {
        return bad(err, f + " line " + history.line(op.index()) + ": " + problem);
      }
    }
    ObjectNode result;
    try {
      result = checker.check(history.ops());
    } catch (RuntimeException e) {
      return bad(err, f + " does not fit the " + workload + " workload: " + e.getMessage());
    }
    Validity v = Checks.validity(result);
    if (json) {
      out.println(Json.pretty(result));
    } else if (result.has("results") && result.has("failures")) {
      summarize(out, result);
    } else {
      out.println(Json.pretty(result));
    }
    out.println(
        "valid? "
            + switch (v) {
              case VALID -> "true";
              case INVALID -> "false";
              case UNKNOWN -> "unknown";
            });
    out.flush();
    return v.exitCode();
  }

  /** Prints a per-key checker's verdict: counts, then each failing key's report. */
  private void summarize(PrintWriter out, ObjectNode result) {
    JsonNode failures = result.get("failures");
    out.println(
        workload
            + ": "
            + result.path("op-count").asLong()
            + " ops on "
            + result.path("key-count").asLong()
            + " keys; "
            + (failures.isEmpty() ? "every key is" : failures.size() + " not")
            + " linearizable");
    for (Map.Entry<String, JsonNode> e : result.get("results").properties()) {
      JsonNode r = e.getValue();
      if (r.path("valid?").isBoolean() && r.path("valid?").booleanValue()) {
        continue;
      }
      out.println();
      out.println(
          "key "
              + e.getKey()
              + ": "
              + (Checks.validity(r) == Validity.INVALID ? "not linearizable" : "unknown"));
      if (r.has("error")) {
        out.println("  " + r.get("error").asText());
      }
      if (r.has("explanation")) {
        out.println("  " + r.get("explanation").asText());
        JsonNode sub = r.get("sub-history");
        out.println(
            "  a failing sub-history ("
                + sub.size()
                + " events"
                + (r.path("sub-history-minimal?").asBoolean() ? ", each op needed" : "")
                + "):");
        sub.forEach(op -> out.println("    " + Json.write(op)));
      }
    }
  }

  private static int bad(PrintWriter err, String message) {
    err.println("heddle sim check: " + message);
    err.flush();
    return BAD_INPUT;
  }
}
