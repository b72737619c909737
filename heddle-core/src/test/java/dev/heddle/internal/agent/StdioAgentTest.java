package dev.heddle.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.HostProcess;
import dev.heddle.ProcessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stdio} mode, as the SSH bootstrap runs it: the agent JVM is a child whose stdin and
 * stdout carry the protocol, and the end of its stdin ends the session.
 */
class StdioAgentTest {
  @TempDir Path dir;

  private Process startStdioAgent(Path stateDir, String... more) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(AgentLauncher.javaBinary());
    cmd.addAll(AgentJar.stdioJvmFlags());
    cmd.addAll(
        List.of(
            "-cp",
            AgentLauncher.agentClasspath(),
            "dev.heddle.agent.AgentMain",
            "--stdio",
            "--state-dir",
            stateDir.toString(),
            "--host-label",
            "stdio"));
    cmd.addAll(List.of(more));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("agent.err").toFile()).start();
  }

  @Test
  void servesOneControllerOnStdioAndStopsEverythingWhenStdinEnds() throws Exception {
    Path stateDir = dir.resolve("state");
    Process agent = startStdioAgent(stateDir);
    try {
      AgentConnection conn =
          new AgentConnection("stdio", agent.getInputStream(), agent.getOutputStream(), () -> {});
      AgentHost host = new AgentHost("stdio", stateDir, conn, agent);
      assertEquals(agent.pid(), ((Number) host.agentInfo().get("pid")).longValue());
      assertFalse(Files.exists(stateDir.resolve("agent.sock")), "a stdio agent binds no socket");

      HostProcess p =
          host.spawn(ProcessSpec.builder("sleeper", Command.of("sleep", "600")).build());
      assertTrue(alive(p.pid()), "the service is not running");

      agent.getOutputStream().close(); // stdin EOF: the controller is gone
      assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "the agent did not exit on stdin EOF");
      assertEquals(0, agent.exitValue(), Files.readString(dir.resolve("agent.err")));
      assertFalse(alive(p.pid()), "the service outlived its stdio agent");
      assertTrue(
          Files.readString(dir.resolve("agent.err")).contains("stdin"),
          Files.readString(dir.resolve("agent.err")));
      assertTrue(
          Files.readString(stateDir.resolve("agent.log")).contains("stdin"),
          "the agent's log in its state directory lacks its last words");
      conn.close();
    } finally {
      agent.destroyForcibly();
    }
  }

  @Test
  void shutdownRequestEndsTheAgentAndItsServices() throws Exception {
    Path stateDir = dir.resolve("state2");
    Process agent = startStdioAgent(stateDir);
    try {
      AgentConnection conn =
          new AgentConnection("stdio", agent.getInputStream(), agent.getOutputStream(), () -> {});
      AgentHost host = new AgentHost("stdio", stateDir, conn, agent);
      HostProcess p =
          host.spawn(ProcessSpec.builder("sleeper", Command.of("sleep", "600")).build());
      host.close();
      assertFalse(agent.isAlive(), "the agent outlived close()");
      assertFalse(alive(p.pid()), "the service outlived close()");
    } finally {
      agent.destroyForcibly();
    }
  }

  @Test
  void stdioIsSessionModeOnly() throws Exception {
    Process agent = startStdioAgent(dir.resolve("state3"), "--mode", "handover");
    try {
      assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
      assertEquals(2, agent.exitValue());
      String err = Files.readString(dir.resolve("agent.err"));
      assertTrue(err.contains("--stdio is session mode only"), err);
    } finally {
      agent.destroyForcibly();
    }
  }

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).charAt(0) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }
}
