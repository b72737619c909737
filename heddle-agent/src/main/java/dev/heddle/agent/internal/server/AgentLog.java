package dev.heddle.agent.internal.server;

import java.time.Instant;

/** The agent's own diagnostics, on its stderr (a file the launcher chose). Never service output. */
public final class AgentLog {
  private AgentLog() {}

  public static void info(String message) {
    System.err.println(Instant.now() + " heddle-agent: " + message);
  }

  public static void warn(String message) {
    System.err.println(Instant.now() + " heddle-agent: WARNING " + message);
  }

  public static void warn(String message, Throwable t) {
    System.err.println(Instant.now() + " heddle-agent: WARNING " + message + ": " + t);
  }
}
