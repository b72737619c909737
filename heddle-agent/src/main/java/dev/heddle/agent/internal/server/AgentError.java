package dev.heddle.agent.internal.server;

/** A request the agent refuses, with a machine-readable code and a message that says what to do. */
final class AgentError extends Exception {
  private static final long serialVersionUID = 1L;
  final String code;

  AgentError(String code, String message) {
    super(message);
    this.code = code;
  }
}
