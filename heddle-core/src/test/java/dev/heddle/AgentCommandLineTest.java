package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's and the bridge's command lines (what a controller, or a person, types) refuse bad
 * arguments with exit 2 and a message naming what is wrong, before touching the state directory.
 */
class AgentCommandLineTest {
  @TempDir Path dir;

  @Test
  void theAgentNamesBadGraceModeAndCombinations() throws Exception {
    String agent = "dev.heddle.agent.AgentMain";
    refused(agent, "--grace needs a number of milliseconds, got 'soon'", "--grace", "soon");
    refused(agent, "--grace must not be negative, got -5", "--grace", "-5");
    refused(agent, "--mode is session or handover, got 'forever'", "--mode", "forever");
    refused(agent, "--grace is for session mode", "--mode", "handover", "--grace", "1000");
    refused(agent, "option --state-dir needs a value", "--state-dir");
  }

  @Test
  void theBridgeNamesBadGraceModeAndCombinations() throws Exception {
    String bridge = "dev.heddle.agent.AgentBridge";
    refused(bridge, "--grace needs a number of milliseconds, 0 or more, got '-5'", "--grace", "-5");
    refused(bridge, "--mode is session or handover, got 'forever'", "--mode", "forever");
    refused(bridge, "--grace is for --mode session", "--mode", "handover", "--grace", "1000");
    refused(bridge, "unknown option --graze", "--graze", "1");
    refused(bridge, "--state-dir is required", "--mode", "session");
  }

  private void refused(String main, String message, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main));
    command.addAll(List.of(args));
    if (!List.of(args).contains("--state-dir") && !message.contains("--state-dir")) {
      command.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    }
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains(message), out);
    assertTrue(out.contains("usage:"), out);
  }
}
