package dev.heddle.internal.agent;

/** An error reply from an agent, or a lost connection: {@code code} is the agent's code. */
public final class AgentError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final String code;

  public AgentError(String host, String code, String message) {
    super(message);
    this.host = host;
    this.code = code;
  }

  public String host() {
    return host;
  }

  public String code() {
    return code;
  }
}
