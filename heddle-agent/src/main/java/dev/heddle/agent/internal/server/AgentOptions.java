package dev.heddle.agent.internal.server;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How an agent runs.
 *
 * @param stateDir where the agent keeps its socket, lock, state file and service logs
 * @param hostLabel how messages name this host ("local", "h2")
 * @param attachTimeout how long to wait for the first controller before exiting
 * @param useCgroups whether to contain services in cgroups when the host allows it (false forces
 *     the process-group fallback that unprivileged agents use)
 * @param handover true for handover mode: the services outlive their controller, and the next
 *     controller to attach takes them over; false for session mode (nothing outlives the
 *     controller)
 * @param stdio whether the one controller speaks on stdin/stdout (over SSH) instead of connecting
 *     to the unix socket, which is then not created; session mode only
 * @param build what the controller that started this agent calls its build (the sha256 of the
 *     agent's classes), reported in the hello so that a newer controller can tell an older agent
 *     and upgrade it in place; {@code unknown} when not given
 * @param grace session mode: how long the services outlive a disconnected controller, waiting for
 *     it to attach again (zero: they are stopped at once); events meanwhile are kept for it
 * @param restore the hand-over file of the program this agent replaced under the same pid ({@code
 *     --restore}), or null for a fresh agent
 */
public record AgentOptions(
    Path stateDir,
    String hostLabel,
    Duration attachTimeout,
    boolean useCgroups,
    boolean handover,
    boolean stdio,
    String build,
    Duration grace,
    @Nullable Path restore) {
  public Path socket() {
    return stateDir.resolve("agent.sock");
  }

  /** Whether events are kept while no controller is attached (handover, or a grace period). */
  public boolean keepsEvents() {
    return handover || grace.isPositive();
  }

  public Path logs() {
    return stateDir.resolve("logs");
  }
}
