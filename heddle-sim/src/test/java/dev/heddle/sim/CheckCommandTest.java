package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.sim.internal.cli.SimCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heddle sim check}: verdicts, exit codes, and bad input named by line. */
class CheckCommandTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result sim(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SimCommand.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path file(String... lines) throws Exception {
    return Files.write(dir.resolve("history.jsonl"), java.util.List.of(lines));
  }

  private static final String WRITE_1 =
      "{\"process\": 0, \"type\": \"invoke\", \"f\": \"write\", \"value\": [\"x\", 1], \"time\": 0}";
  private static final String WRITE_1_OK =
      "{\"process\": 0, \"type\": \"ok\", \"f\": \"write\", \"value\": [\"x\", 1], \"time\": 10}";
  private static final String READ =
      "{\"process\": 1, \"type\": \"invoke\", \"f\": \"read\", \"value\": [\"x\", null], \"time\": 20}";

  @Test
  void aLinearizableHistoryExitsZero() throws Exception {
    Path f =
        file(
            WRITE_1,
            WRITE_1_OK,
            "",
            READ,
            "{\"process\": 1, \"type\": \"ok\", \"f\": \"read\", \"value\": [\"x\", 1], \"time\": 30}",
            "{\"process\": \"nemesis\", \"type\": \"info\", \"f\": \"start-partition\", \"value\": null}");
    Result r = sim("check", "-w", "lin-kv", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("lin-kv: 2 ops on 1 keys; every key is linearizable"), r.out());
    assertTrue(r.out().endsWith("valid? true\n"), r.out());
  }

  @Test
  void aStaleReadExitsOneWithTheExplanationAndTheSubHistory() throws Exception {
    Path f =
        file(
            WRITE_1,
            WRITE_1_OK,
            READ,
            "{\"process\": 1, \"type\": \"ok\", \"f\": \"read\", \"value\": [\"x\", null], \"time\": 30}");
    Result r = sim("check", f.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("key x: not linearizable"), r.out());
    assertTrue(
        r.out().contains("read of nil by process 1 [t=0.000–0.000 s] cannot be linearized"),
        r.out());
    assertTrue(r.out().contains("a failing sub-history (4 events, each op needed):"), r.out());
    assertTrue(r.out().endsWith("valid? false\n"), r.out());
    Result json = sim("check", "--json", f.toString());
    assertTrue(json.out().contains("\"failures\" : [ \"x\" ]"), json.out());
  }

  @Test
  void aMissingFileIsNamed() {
    Result r = sim("check", dir.resolve("nope.jsonl").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("cannot read the history ") && r.err().contains("no such file"));
  }

  @Test
  void malformedJsonIsNamedByLine() throws Exception {
    Result r = sim("check", file(WRITE_1, WRITE_1_OK, "{\"process\": 1, \"type\": ").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("history.jsonl line 3: malformed JSON: "), r.err());
  }

  @Test
  void anUnknownOpTypeIsNamedByLine() throws Exception {
    Result r = sim("check", file(WRITE_1, WRITE_1_OK.replace("\"ok\"", "\"done\"")).toString());
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("line 2: unknown op type 'done' (expected invoke, ok, fail or info)"),
        r.err());
  }

  @Test
  void anUnknownWorkloadIsBadInput() throws Exception {
    Result r = sim("check", "-w", "lin-kvv", file(WRITE_1).toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown workload 'lin-kvv'. Known workloads: "), r.err());
    Result missing = sim("check");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("Missing required parameter: 'FILE'"), missing.err());
  }

  @Test
  void opsThatDoNotFitTheWorkloadOrTheProtocolAreNamedByLine() throws Exception {
    assertTrue(
        sim("check", file(WRITE_1.replace("write", "add")).toString())
            .err()
            .contains("line 1: unknown f 'add' for lin-kv (expected read, write or cas)"));
    assertTrue(
        sim("check", file(WRITE_1.replace("[\"x\", 1]", "3")).toString())
            .err()
            .contains("line 1: the value of a lin-kv write must be [key, value], got 3"));
    assertTrue(
        sim("check", file(WRITE_1, WRITE_1).toString())
            .err()
            .contains(
                "line 2: process 0 invokes again while its invoke on line 1 has not completed"));
    assertTrue(
        sim("check", file(WRITE_1_OK).toString())
            .err()
            .contains("line 1: an ok completion for process 0, which has no open invoke"));
    assertTrue(
        sim("check", file(WRITE_1.replace("\"process\": 0", "\"process\": \"p0\"")).toString())
            .err()
            .contains(
                "line 1: \"process\" must be a non-negative integer or \"nemesis\", got \"p0\""));
  }

  private static String txn(int process, String type, String value, int time) {
    return "{\"process\": "
        + process
        + ", \"type\": \""
        + type
        + "\", \"f\": \"txn\", \"value\": "
        + value
        + ", \"time\": "
        + time
        + "}";
  }

  @Test
  void aTxnRwRegisterWriteSkewIsValidUnderSnapshotIsolationOnly() throws Exception {
    Path f =
        file(
            txn(0, "invoke", "[[\"r\", \"x\", null], [\"w\", \"y\", 1]]", 0),
            txn(1, "invoke", "[[\"r\", \"y\", null], [\"w\", \"x\", 1]]", 0),
            txn(0, "ok", "[[\"r\", \"x\", null], [\"w\", \"y\", 1]]", 10),
            txn(1, "ok", "[[\"r\", \"y\", null], [\"w\", \"x\", 1]]", 10));
    Result r = sim("check", "-w", "txn-rw-register", f.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\"G2-item\" : 1"), r.out());
    Result si =
        sim(
            "check",
            "-w",
            "txn-rw-register",
            "--consistency-models",
            "snapshot-isolation",
            f.toString());
    assertEquals(0, si.code(), si.out() + si.err());
    Result unknown =
        sim("check", "-w", "txn-rw-register", "--consistency-models", "acid", f.toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown consistency model 'acid'"), unknown.err());
  }

  @Test
  void aTxnListAppendHistoryIsCheckedByTheListAppendChecker() throws Exception {
    Path f =
        file(
            txn(0, "invoke", "[[\"append\", 1, 1]]", 0),
            txn(0, "ok", "[[\"append\", 1, 1]]", 10),
            txn(1, "invoke", "[[\"r\", 1, null]]", 20),
            txn(1, "ok", "[[\"r\", 1, [1]]]", 30));
    Result r = sim("check", "-w", "txn-list-append", f.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().endsWith("valid? true\n"), r.out());
  }

  @Test
  void aMalformedTxnRwRegisterHistoryIsNamedByLine() throws Exception {
    Path f =
        file(
            txn(0, "invoke", "[[\"w\", 1, 1]]", 0),
            txn(0, "ok", "[[\"w\", 1, 1]]", 10),
            txn(1, "invoke", "[[\"append\", 1, 2]]", 20));
    Result r = sim("check", "-w", "txn-rw-register", f.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains(
                "history.jsonl line 3: a micro-op of a txn-rw-register txn must be [\"r\", key,"
                    + " value] or [\"w\", key, value], got [\"append\",1,2]"),
        r.err());
    Result notTxn = sim("check", "-w", "txn-rw-register", file(WRITE_1).toString());
    assertTrue(
        notTxn.err().contains("line 1: unknown f 'write' for txn-rw-register (expected txn)"),
        notTxn.err());
  }

  @Test
  void theHelpDescribesTheFormat() {
    Result r = sim("check", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("one Jepsen op per line"), r.out());
  }
}
