package dev.heddle.sim.internal.cli;

import dev.heddle.sim.SimConfig;
import dev.heddle.sim.SimOutcome;
import dev.heddle.sim.Simulator;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.run.NodeCommand;
import dev.heddle.sim.internal.workload.Workloads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heddle sim test}: Maelstrom's {@code test} command with its options and defaults. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs a workload against a node program and checks the history. Exit code 0 valid, 1 invalid, 2 unknown.")
final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec; // set by picocli before call()

  // Options of a reference type take their default from the field's initial value (picocli shows it
  // as ${DEFAULT-VALUE}), so they are never null; the ones without a default are @Nullable.

  @Option(
      names = {"-w", "--workload"},
      description =
          "The workload: echo, unique-ids, broadcast, g-set, g-counter, pn-counter, lin-kv, kafka,"
              + " txn-list-append, txn-rw-register. Default: ${DEFAULT-VALUE}.")
  String workload = "lin-kv";

  @Option(names = "--bin", description = "The node program (an executable file).")
  @Nullable String bin;

  @Option(
      names = "--node-count",
      description = "Number of nodes, named n0..n(N-1). Default: n1..n5.")
  @Nullable Integer nodeCount;

  @Option(
      names = "--concurrency",
      description =
          "Client workers: an integer, optionally followed by n (times node count). Default: ${DEFAULT-VALUE}.")
  String concurrency = "1n";

  @Option(
      names = "--rate",
      defaultValue = "5",
      description = "Approximate requests per second, in total. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--time-limit",
      defaultValue = "60",
      description = "Seconds of the main phase. Default: ${DEFAULT-VALUE}.")
  double timeLimit;

  @Option(
      names = "--latency",
      defaultValue = "0",
      description = "Mean latency between nodes, in ms. Default: ${DEFAULT-VALUE}.")
  double latency;

  @Option(
      names = "--latency-dist",
      description = "constant, uniform or exponential. Default: ${DEFAULT-VALUE}.")
  String latencyDist = "constant";

  @Option(
      names = "--nemesis",
      split = ",",
      description = "Faults, comma-separated: partition, kill, pause, loss, duplicate, reorder.")
  List<String> nemesis = new ArrayList<>();

  @Option(
      names = "--nemesis-interval",
      defaultValue = "10",
      description = "Mean seconds between nemesis actions. Default: ${DEFAULT-VALUE}.")
  double nemesisInterval;

  @Option(
      names = "--availability",
      description = "'total', or a fraction 0..1 of ops that must succeed.")
  @Nullable String availability;

  @Option(
      names = "--topology",
      description =
          "Broadcast topology: grid, line, tree, tree2, tree3, tree4, total. Default: ${DEFAULT-VALUE}.")
  String topology = "grid";

  @Option(
      names = "--consistency-models",
      description =
          "For txn-list-append and txn-rw-register, comma-separated: read-uncommitted,"
              + " read-committed, repeatable-read, snapshot-isolation, serializable,"
              + " strict-serializable. Default: ${DEFAULT-VALUE}.")
  String consistencyModels = "strict-serializable";

  @Option(names = "--log-stderr", description = "Copy node stderr to the console too.")
  boolean logStderr;

  @Option(
      names = "--test-count",
      defaultValue = "1",
      description = "How many times to run the test. Default: ${DEFAULT-VALUE}.")
  int testCount;

  @Option(
      names = "--seed",
      description =
          "Seed of the random source (replays the same fault schedule and client ops). Default: random.")
  @Nullable Long seed;

  @Option(names = "--store", description = "Store directory. Default: ./${DEFAULT-VALUE}.")
  Path store = Path.of("store");

  @Option(
      names = "--recovery-time",
      defaultValue = "10",
      description =
          "Seconds between healing and the final reads. Default: ${DEFAULT-VALUE} (as Maelstrom).")
  double recoveryTime;

  @Option(
      names = "--loss-probability",
      defaultValue = "0.2",
      description =
          "Loss nemesis: chance a message between nodes is dropped. Default: ${DEFAULT-VALUE}.")
  double lossProbability;

  @Option(
      names = "--duplicate-probability",
      defaultValue = "0.2",
      description =
          "Duplicate nemesis: chance a message is delivered twice. Default: ${DEFAULT-VALUE}.")
  double duplicateProbability;

  @Option(
      names = "--reorder-jitter",
      defaultValue = "100",
      description = "Reorder nemesis: extra delay up to this many ms. Default: ${DEFAULT-VALUE}.")
  double reorderJitter;

  @Parameters(description = "Arguments passed to the node program.")
  List<String> nodeArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    SimConfig base = config();
    NodeCommand.resolve(base.command());
    Validity worst = Validity.VALID;
    for (int i = 0; i < testCount; i++) {
      SimConfig c = i == 0 || seed != null ? base : base.withSeed(base.seed() + i);
      SimOutcome outcome = Simulator.run(c, System.err);
      worst = worst.and(outcome.validity());
    }
    return worst.exitCode();
  }

  private SimConfig config() {
    if (!Workloads.KNOWN.contains(workload)) {
      throw usage(Workloads.unknown(workload));
    }
    if (bin == null) {
      throw usage("Missing --bin: give the node program to test, for example --bin ./echo.py.");
    }
    if (testCount < 1) {
      throw usage("--test-count must be at least 1, got " + testCount);
    }
    List<String> command = new ArrayList<>();
    command.add(bin);
    command.addAll(nodeArgs);
    try {
      SimConfig.Builder b =
          SimConfig.builder(workload, command)
              .concurrency(concurrency)
              .rate(rate)
              .timeLimit(timeLimit)
              .latency(latency, latencyDist)
              .nemesis(nemeses(), nemesisInterval)
              .availability(availability)
              .topology(topology)
              .consistencyModels(consistencyModels)
              .logStderr(logStderr)
              .store(store)
              .recovery(recoveryTime)
              .faults(
                  new SimConfig.FaultParameters(
                      lossProbability, duplicateProbability, reorderJitter));
      if (nodeCount != null) {
        b.nodeCount(nodeCount);
      }
      if (seed != null) {
        b.seed(seed);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  private Set<String> nemeses() {
    Set<String> out = new LinkedHashSet<>();
    for (String n : nemesis) {
      if (!n.isBlank()) {
        out.add(n.trim());
      }
    }
    return out;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(
        Objects.requireNonNull(spec, "picocli injects the spec").commandLine(), message);
  }
}
