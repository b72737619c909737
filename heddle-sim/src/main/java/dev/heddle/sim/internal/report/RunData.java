package dev.heddle.sim.internal.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.SimConfig;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.nemesis.Nemesis;
import dev.heddle.sim.internal.net.Journal;
import dev.heddle.sim.internal.net.NetStats;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a finished run leaves for the results and the report. Read only after the loop has
 * stopped.
 *
 * @param config the configuration
 * @param dir the run directory
 * @param history every op
 * @param net the network counters
 * @param journal the first messages, for the diagram
 * @param periods the nemesis fault periods
 * @param problems node misbehaviour
 * @param results the checkers' results (results.json); empty until {@link Results#build} ran
 * @param durationNanos how long the run took, from the start of the loop
 * @param lag how late the loop delivered messages
 */
public record RunData(
    SimConfig config,
    Path dir,
    List<Op> history,
    NetStats net,
    Journal journal,
    List<Nemesis.Period> periods,
    Problems problems,
    ObjectNode results,
    long durationNanos,
    dev.heddle.sim.internal.net.Lag lag) {

  /** Returns a copy holding the checkers' results. */
  public RunData withResults(ObjectNode checked) {
    return new RunData(
        config, dir, history, net, journal, periods, problems, checked, durationNanos, lag);
  }
}
