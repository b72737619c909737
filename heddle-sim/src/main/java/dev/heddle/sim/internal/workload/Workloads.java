package dev.heddle.sim.internal.workload;

import dev.heddle.sim.internal.check.Checker;
import dev.heddle.sim.internal.check.CounterChecker;
import dev.heddle.sim.internal.check.EchoChecker;
import dev.heddle.sim.internal.check.KafkaChecker;
import dev.heddle.sim.internal.check.LinearizabilityChecker;
import dev.heddle.sim.internal.check.ListAppendChecker;
import dev.heddle.sim.internal.check.RwRegisterChecker;
import dev.heddle.sim.internal.check.SetFullChecker;
import dev.heddle.sim.internal.check.UniqueIdsChecker;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The registry of workloads: the ones this simulator has, and Maelstrom's others. */
public final class Workloads {
  /** The workloads this simulator runs. */
  public static final Set<String> KNOWN =
      new TreeSet<>(
          Set.of(
              "echo",
              "unique-ids",
              "broadcast",
              "g-set",
              "g-counter",
              "pn-counter",
              "lin-kv",
              "kafka",
              "txn-list-append",
              "txn-rw-register"));

  private Workloads() {}

  /**
   * Creates a workload.
   *
   * @throws IllegalArgumentException naming the known workloads when {@code name} is not one
   */
  public static Workload create(String name, List<String> nodes, String topology) {
    return create(name, nodes, topology, "strict-serializable");
  }

  /**
   * Creates a workload; the transactional ones are checked for the consistency models given
   * (comma-separated).
   *
   * @throws IllegalArgumentException naming the known workloads when {@code name} is not one
   */
  public static Workload create(String name, List<String> nodes, String topology, String models) {
    return switch (name) {
      case "echo" -> new Echo();
      case "unique-ids" -> new UniqueIds();
      case "broadcast" -> new Broadcast(Topology.of(topology, nodes));
      case "g-set" -> new GSet();
      case "g-counter" -> new Counter(false);
      case "pn-counter" -> new Counter(true);
      case "lin-kv" -> new LinKv();
      case "kafka" -> new Kafka();
      case "txn-list-append", "txn-rw-register" -> new Transactions(name, models);
      default -> throw new IllegalArgumentException(unknown(name));
    };
  }

  /**
   * Returns the checker of a workload, for checking a history recorded elsewhere.
   *
   * @throws IllegalArgumentException naming the known workloads when {@code name} is not one
   */
  public static Checker checker(String name) {
    return checker(name, "strict-serializable");
  }

  /**
   * Returns the checker of a workload, for the consistency models given (comma-separated; only the
   * transactional workloads use them).
   *
   * @throws IllegalArgumentException naming the known workloads when {@code name} is not one
   */
  public static Checker checker(String name, String models) {
    return switch (name) {
      case "echo" -> new EchoChecker();
      case "unique-ids" -> new UniqueIdsChecker();
      case "broadcast" -> new SetFullChecker("broadcast");
      case "g-set" -> new SetFullChecker("add");
      case "g-counter", "pn-counter" -> new CounterChecker();
      case "lin-kv" -> new LinearizabilityChecker();
      case "kafka" -> new KafkaChecker();
      case "txn-list-append" -> new ListAppendChecker(models);
      case "txn-rw-register" -> new RwRegisterChecker(models);
      default -> throw new IllegalArgumentException(unknown(name));
    };
  }

  /** Returns the message for an unknown workload name. */
  public static String unknown(String name) {
    String known = String.join(", ", KNOWN);
    return "Unknown workload '" + name + "'. Known workloads: " + known + ".";
  }
}
