package dev.heddle.agent.internal.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an agent runs.
 *
 * @param stateDir where the agent keeps its socket, lock, state file and service logs
 * @param hostLabel how messages name this host ("local", "h2")
 * @param attachTimeout how long to wait for the first controller before exiting
 */
public record AgentOptions(Path stateDir, String hostLabel, Duration attachTimeout) {
  public Path socket() {
    return stateDir.resolve("agent.sock");
  }

  public Path logs() {
    return stateDir.resolve("logs");
  }
}
