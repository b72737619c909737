package dev.heddle.sim.internal.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One planned nemesis action.
 *
 * @param atNanos when, after the start of the main phase
 * @param fault the fault package: partition, kill, pause, loss, duplicate or reorder
 * @param start whether it starts the fault (else it stops it)
 * @param f the history function, for example {@code start-partition} or {@code kill}
 * @param value the history value (the grudge, the target nodes, the probability…)
 * @param targets the nodes a kill or pause acts on
 * @param grudge the partition's grudge (node → nodes it does not hear from)
 */
public record NemesisOp(
    long atNanos,
    String fault,
    boolean start,
    String f,
    @Nullable JsonNode value,
    List<String> targets,
    Map<String, List<String>> grudge) {}
