package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.HostProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The client side of the agent's {@code awaitReady} request: the agent probes on its own host (file
 * exists, log line matches, TCP port accepts) until ready, the process exits, or the limit.
 */
public final class AgentReadiness {
  private AgentReadiness() {}

  /**
   * Asks the agent to wait until {@code process} passes {@code probe} (the request's fields: {@code
   * kind} = tcp|file|log and its own fields). Blocks for up to {@code limit}.
   *
   * @return empty when ready; when the agent reports a timeout or an exit before ready, what it
   *     expected as it describes it at the end (a probe may add what it last saw, e.g. the last
   *     HTTP status)
   * @throws InterruptedException when the caller is interrupted meanwhile
   * @throws IllegalArgumentException when {@code process} was not started through an agent
   */
  public static Optional<String> await(
      HostProcess process, Map<String, Object> probe, Duration limit) throws InterruptedException {
    if (!(process instanceof AgentProcess p)) {
      throw new IllegalArgumentException(process + " was not started through a Heddle agent");
    }
    Map<String, Object> body = new LinkedHashMap<>(probe);
    body.put("processId", p.processId());
    body.put("timeoutMs", Math.max(1, limit.toMillis()));
    try {
      ((AgentHost) p.host()).call(p.service(), "awaitReady", body);
      return Optional.empty();
    } catch (HeddleException e) {
      return switch (e.code()) {
        case "READY_TIMEOUT", "EXITED_BEFORE_READY" -> Optional.of(expected(e.getMessage()));
        case "INTERRUPTED" -> {
          Thread.interrupted();
          throw new InterruptedException(
              "interrupted waiting for " + p.processId() + " to be ready");
        }
        default -> throw e;
      };
    }
  }

  /** The "Expected: … within" part of the agent's message, or the whole message. */
  private static String expected(@Nullable String agentMessage) {
    String m = agentMessage == null ? "" : agentMessage;
    int from = m.indexOf("Expected: ");
    int to = m.lastIndexOf(" within ");
    return from >= 0 && to > from ? m.substring(from + "Expected: ".length(), to) : m;
  }
}
