package dev.heddle.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Everything one simulated test needs, with Maelstrom's defaults. Immutable; build it with {@link
 * #builder(String, List)}.
 *
 * @param workload the workload name, for example {@code echo} or {@code broadcast}
 * @param command the node program and its arguments
 * @param nodes the server node ids, {@code n0..n(N-1)} or Maelstrom's default {@code n1..n5}
 * @param concurrency the number of client workers
 * @param rate approximate client requests per second, in total; 0 runs no client operation
 * @param timeLimitSeconds how long the main phase lasts
 * @param latencyMillis the mean latency between server nodes
 * @param latencyDist {@code constant}, {@code uniform} or {@code exponential}
 * @param nemesis the faults to inject: partition, kill, pause, loss, duplicate, reorder
 * @param nemesisIntervalSeconds the mean time between two nemesis operations
 * @param availability {@code null}, {@code total} or a fraction in 0..1 the ok-fraction must reach
 * @param topology the broadcast topology: grid, line, tree, tree2, tree3, tree4 or total
 * @param logStderr whether node stderr is copied to the console as well as to the node logs
 * @param seed the seed of the run's single random source
 * @param store the store directory; runs go to {@code store/<workload>/<timestamp>/}
 * @param recoverySeconds how long to wait after healing before final reads (Maelstrom: 10)
 * @param faults the parameters of the loss, duplicate and reorder faults
 * @param consistencyModels the models the txn workloads are checked for (an anomaly any of them
 *     forbids is invalid); Maelstrom's default is strict-serializable
 */
public record SimConfig(
    String workload,
    List<String> command,
    List<String> nodes,
    int concurrency,
    double rate,
    double timeLimitSeconds,
    double latencyMillis,
    String latencyDist,
    Set<String> nemesis,
    double nemesisIntervalSeconds,
    @Nullable String availability,
    String topology,
    boolean logStderr,
    long seed,
    Path store,
    double recoverySeconds,
    FaultParameters faults,
    List<String> consistencyModels) {

  /** The faults {@code --nemesis} accepts. */
  public static final Set<String> NEMESES =
      Set.of("partition", "kill", "pause", "loss", "duplicate", "reorder");

  /** The latency distributions {@code --latency-dist} accepts. */
  public static final Set<String> LATENCY_DISTS = Set.of("constant", "uniform", "exponential");

  /** The consistency models {@code --consistency-models} accepts, weakest first. */
  public static final List<String> CONSISTENCY_MODELS =
      List.of(
          "read-uncommitted",
          "read-committed",
          "repeatable-read",
          "snapshot-isolation",
          "serializable",
          "strict-serializable");

  /** The topologies {@code --topology} accepts. */
  public static final Set<String> TOPOLOGIES =
      Set.of("grid", "line", "tree", "tree2", "tree3", "tree4", "total");

  /**
   * Parameters of the faults Maelstrom lacks.
   *
   * @param lossProbability the chance that a message between nodes is dropped while loss is on
   * @param duplicateProbability the chance that such a message is delivered twice
   * @param reorderJitterMillis the extra delay, uniform in 0..jitter, while reorder is on
   */
  public record FaultParameters(
      double lossProbability, double duplicateProbability, double reorderJitterMillis) {
    /** The defaults: 20% loss, 20% duplicates, 100 ms of jitter. */
    public static FaultParameters defaults() {
      return new FaultParameters(0.2, 0.2, 100);
    }
  }

  /** Returns a copy with another seed. */
  public SimConfig withSeed(long newSeed) {
    return new SimConfig(
        workload,
        command,
        nodes,
        concurrency,
        rate,
        timeLimitSeconds,
        latencyMillis,
        latencyDist,
        nemesis,
        nemesisIntervalSeconds,
        availability,
        topology,
        logStderr,
        newSeed,
        store,
        recoverySeconds,
        faults,
        consistencyModels);
  }

  /**
   * Starts a builder with Maelstrom's defaults: nodes n1..n5, concurrency 1n, rate 5, 60 s, no
   * latency, no nemesis, a random seed and the store {@code ./store}.
   *
   * @param workload the workload name
   * @param command the node program followed by its arguments
   */
  public static Builder builder(String workload, List<String> command) {
    return new Builder(workload, command);
  }

  /** Collects and validates a {@link SimConfig}. Not thread-safe. */
  public static final class Builder {
    private final String workload;
    private final List<String> command;
    private List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5");
    private String concurrency = "1n";
    private double rate = 5;
    private double timeLimit = 60;
    private double latency = 0;
    private String latencyDist = "constant";
    private Set<String> nemesis = Set.of();
    private double nemesisInterval = 10;
    private @Nullable String availability;
    private String topology = "grid";
    private boolean logStderr;
    private long seed = System.nanoTime() ^ Double.doubleToLongBits(Math.random());
    private Path store = Path.of("store");
    private double recovery = 10;
    private FaultParameters faults = FaultParameters.defaults();
    private List<String> consistencyModels = List.of("strict-serializable");

    private Builder(String workload, List<String> command) {
      this.workload = Objects.requireNonNull(workload, "workload");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: the node program is missing");
      }
      this.command = List.copyOf(command);
    }

    /** Sets the node count: nodes are named n0..n(count-1). */
    public Builder nodeCount(int count) {
      check(count >= 1, "node-count must be at least 1, got " + count);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add("n" + i);
      }
      nodes = List.copyOf(ids);
      return this;
    }

    /** Sets the number of workers: an integer, or an integer followed by n (times node count). */
    public Builder concurrency(String spec) {
      check(
          spec.matches("\\d+n?"),
          "concurrency must be an integer, optionally followed by n (e.g. 3n), got '" + spec + "'");
      concurrency = spec;
      return this;
    }

    /** Sets the total request rate per second; 0 runs no client operation. */
    public Builder rate(double perSecond) {
      check(perSecond >= 0, "rate must be 0 or more, got " + perSecond);
      rate = perSecond;
      return this;
    }

    /** Sets the length of the main phase in seconds. */
    public Builder timeLimit(double seconds) {
      check(seconds > 0, "time-limit must be more than 0 seconds, got " + seconds);
      timeLimit = seconds;
      return this;
    }

    /** Sets the mean latency between nodes and its distribution. */
    public Builder latency(double millis, String dist) {
      check(millis >= 0, "latency must be 0 or more milliseconds, got " + millis);
      check(
          LATENCY_DISTS.contains(dist),
          "latency-dist must be one of " + new TreeSet<>(LATENCY_DISTS) + ", got '" + dist + "'");
      latency = millis;
      latencyDist = dist;
      return this;
    }

    /** Sets the faults to inject and the mean seconds between nemesis operations. */
    public Builder nemesis(Set<String> faultNames, double intervalSeconds) {
      for (String f : faultNames) {
        check(
            NEMESES.contains(f),
            "unknown nemesis '" + f + "'; known: " + String.join(", ", new TreeSet<>(NEMESES)));
      }
      check(
          intervalSeconds > 0,
          "nemesis-interval must be more than 0 seconds, got " + intervalSeconds);
      nemesis = Set.copyOf(faultNames);
      nemesisInterval = intervalSeconds;
      return this;
    }

    /** Sets the availability requirement: {@code total}, a fraction in 0..1, or null for none. */
    public Builder availability(@Nullable String spec) {
      if (spec != null && !spec.equals("total")) {
        double v;
        try {
          v = Double.parseDouble(spec);
        } catch (NumberFormatException e) {
          v = -1;
        }
        check(
            v >= 0 && v <= 1,
            "availability must be 'total' or a number from 0 to 1, got '" + spec + "'");
      }
      availability = spec;
      return this;
    }

    /** Sets the broadcast topology. */
    public Builder topology(String name) {
      check(
          TOPOLOGIES.contains(name),
          "topology must be one of " + new TreeSet<>(TOPOLOGIES) + ", got '" + name + "'");
      topology = name;
      return this;
    }

    /** Copies node stderr to the console too. */
    public Builder logStderr(boolean on) {
      logStderr = on;
      return this;
    }

    /** Sets the seed of the run's random source. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** Sets the store directory. */
    public Builder store(Path dir) {
      store = Objects.requireNonNull(dir, "store");
      return this;
    }

    /** Sets the wait between healing and the final reads, in seconds. */
    public Builder recovery(double seconds) {
      check(seconds >= 0, "recovery-time must be 0 or more seconds, got " + seconds);
      recovery = seconds;
      return this;
    }

    /** Sets the parameters of loss, duplicate and reorder. */
    public Builder faults(FaultParameters parameters) {
      check(
          parameters.lossProbability() >= 0 && parameters.lossProbability() <= 1,
          "loss probability must be in 0..1");
      check(
          parameters.duplicateProbability() >= 0 && parameters.duplicateProbability() <= 1,
          "duplicate probability must be in 0..1");
      check(parameters.reorderJitterMillis() >= 0, "reorder jitter must be 0 or more");
      faults = parameters;
      return this;
    }

    /**
     * Sets the consistency models the txn workloads are checked for: names from {@link
     * #CONSISTENCY_MODELS}, comma-separated.
     */
    public Builder consistencyModels(String spec) {
      List<String> models = new ArrayList<>();
      for (String m : spec.split(",", -1)) {
        String name = m.trim();
        if (name.isEmpty()) {
          continue;
        }
        check(
            CONSISTENCY_MODELS.contains(name),
            "unknown consistency model '"
                + name
                + "'; known: "
                + String.join(", ", CONSISTENCY_MODELS));
        models.add(name);
      }
      check(!models.isEmpty(), "consistency-models must name at least one model");
      consistencyModels = List.copyOf(models);
      return this;
    }

    /** Builds the configuration. */
    public SimConfig build() {
      int workers =
          concurrency.endsWith("n")
              ? Integer.parseInt(concurrency.substring(0, concurrency.length() - 1)) * nodes.size()
              : Integer.parseInt(concurrency);
      check(workers >= 1, "concurrency must give at least 1 worker, got '" + concurrency + "'");
      return new SimConfig(
          workload,
          command,
          nodes,
          workers,
          rate,
          timeLimit,
          latency,
          latencyDist,
          java.util.Collections.unmodifiableSortedSet(new TreeSet<>(nemesis)),
          nemesisInterval,
          availability,
          topology,
          logStderr,
          seed,
          store,
          recovery,
          faults,
          consistencyModels);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
