package dev.heddle.sim.internal.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.loop.EventLoop;
import dev.heddle.sim.internal.net.Faults;
import dev.heddle.sim.internal.node.Cluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out a {@link NemesisPlan} on the loop thread: changes the network's faults, kills and
 * restarts nodes (calling {@code onRestart} so the node gets a fresh init), pauses and resumes
 * them; records each action in the history and the fault periods for the report. Loop thread only.
 */
public final class Nemesis {
  /**
   * A time during which a fault was in force.
   *
   * @param fault the fault package
   * @param startNanos when it started (loop time)
   * @param endNanos when it ended, or -1 while it lasts
   * @param description what it did, for the report
   */
  public record Period(String fault, long startNanos, long endNanos, String description) {}

  private final EventLoop loop;
  private final Faults faults;
  private final Cluster cluster;
  private final History history;
  private final SimConfig config;
  private final Consumer<String> onRestart;
  private final Map<String, NemesisOp> active = new LinkedHashMap<>();
  private final Map<String, Integer> openPeriods = new LinkedHashMap<>();
  private final List<Period> periods = new ArrayList<>();
  private boolean stopped;
  private volatile String activeSummary = "none";

  /** Creates a nemesis acting on these faults and nodes. */
  public Nemesis(
      EventLoop loop,
      Faults faults,
      Cluster cluster,
      History history,
      SimConfig config,
      Consumer<String> onRestart) {
    this.loop = loop;
    this.faults = faults;
    this.cluster = cluster;
    this.history = history;
    this.config = config;
    this.onRestart = onRestart;
  }

  /** Schedules the plan's actions relative to now. */
  public void schedule(List<NemesisOp> plan) {
    long origin = loop.now();
    for (NemesisOp op : plan) {
      loop.at(
          origin + op.atNanos(),
          () -> {
            if (!stopped) {
              apply(op);
            }
          });
    }
  }

  /** Cancels the rest of the plan and stops every fault in force (Jepsen's final heal). */
  public void healAll() {
    stopped = true;
    for (NemesisOp op : List.copyOf(active.values())) {
      String f =
          switch (op.fault()) {
            case "kill" -> "start";
            case "pause" -> "resume";
            default -> "stop-" + op.fault();
          };
      JsonNode value = op.targets().isEmpty() ? null : op.value();
      apply(new NemesisOp(0, op.fault(), false, f, value, op.targets(), Map.of()));
    }
  }

  private void apply(NemesisOp op) {
    switch (op.fault()) {
      case "partition" -> {
        faults.heal();
        op.grudge().forEach((dest, srcs) -> srcs.forEach(src -> faults.block(src, dest)));
      }
      case "kill" ->
          op.targets()
              .forEach(
                  n -> {
                    if (op.start()) {
                      cluster.kill(n);
                    } else {
                      cluster.restart(n, onRestart);
                    }
                  });
      case "pause" -> op.targets().forEach(n -> cluster.pause(n, op.start()));
      case "loss" -> faults.loss(op.start() ? config.faults().lossProbability() : 0);
      case "duplicate" -> faults.duplicate(op.start() ? config.faults().duplicateProbability() : 0);
      case "reorder" ->
          faults.jitter(op.start() ? (long) (config.faults().reorderJitterMillis() * 1e6) : 0);
      default -> throw new IllegalStateException("unknown fault " + op.fault());
    }
    if (op.fault().equals("partition") && !op.start()) {
      faults.heal();
    }
    long now = loop.now();
    history.append(Op.Type.INFO, op.f(), op.value(), Op.NEMESIS, now, null, false, null);
    if (op.start()) {
      active.put(op.fault(), op);
      openPeriods.put(op.fault(), periods.size());
      periods.add(
          new Period(op.fault(), now, -1, op.f() + " " + (op.value() == null ? "" : op.value())));
    } else {
      active.remove(op.fault());
      Integer at = openPeriods.remove(op.fault());
      if (at != null) {
        Period p = periods.get(at);
        periods.set(at, new Period(p.fault(), p.startNanos(), now, p.description()));
      }
    }
    activeSummary = active.isEmpty() ? "none" : String.join(",", active.keySet());
  }

  /** Returns the fault periods so far. */
  public List<Period> periods() {
    return periods;
  }

  /** Returns a short description of the faults in force, for the progress line. Any thread. */
  public String describeActive() {
    return activeSummary;
  }
}
