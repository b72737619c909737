package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.HostProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
   * @return true when ready; false when the agent reports a timeout or an exit before ready
   * @throws InterruptedException when the caller is interrupted meanwhile
   * @throws IllegalArgumentException when {@code process} was not started through an agent
   */
  public static boolean await(HostProcess process, Map<String, Object> probe, Duration limit)
      throws InterruptedException {
    if (!(process instanceof AgentProcess p)) {
      throw new IllegalArgumentException(process + " was not started through a Heddle agent");
    }
    Map<String, Object> body = new LinkedHashMap<>(probe);
    body.put("processId", p.processId());
    body.put("timeoutMs", Math.max(1, limit.toMillis()));
    try {
      ((AgentHost) p.host()).call(p.service(), "awaitReady", body);
      return true;
    } catch (HeddleException e) {
      return switch (e.code()) {
        case "READY_TIMEOUT", "EXITED_BEFORE_READY" -> false;
        case "INTERRUPTED" -> {
          Thread.interrupted();
          throw new InterruptedException(
              "interrupted waiting for " + p.processId() + " to be ready");
        }
        default -> throw e;
      };
    }
  }
}
