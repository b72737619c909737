package dev.heddle.agent.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the agent JVM for {@code AgentBridge} when none serves its state directory. The agent is
 * not a service, so the JDK's {@link ProcessBuilder} is fine: its output goes to {@code agent.log}
 * (never a pipe), and it makes itself a session leader, so it outlives the bridge.
 */
public final class BridgeAgentLauncher {
  private BridgeAgentLauncher() {}

  /** Starts {@code command} with stdin from /dev/null and its output appended to {@code log}. */
  public static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true)
        .start();
  }
}
