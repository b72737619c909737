package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad request gets an error that names the service, the host and what to do, and the agent
 * keeps working afterwards.
 */
class BadInputTest {
  @TempDir Path dir;
  Host host;

  @BeforeEach
  void startAgent() {
    host = Host.local(dir.resolve("state"));
  }

  @AfterEach
  void agentStillWorksThenClose() throws Exception {
    HostProcess p = host.spawn(ProcessSpec.builder("after", Command.shell("exit 4")).build());
    assertEquals(new ExitStatus.Exited(4), p.awaitExit());
    host.close();
  }

  private HeddleException refused(String code, Command command) {
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> host.spawn(ProcessSpec.builder("svc", command).build()));
    assertEquals(code, e.code(), e.getMessage());
    assertEquals("local", e.host());
    assertEquals("svc", e.service());
    assertTrue(
        e.getMessage().startsWith("Cannot start service 'svc' on host 'local': "), e.getMessage());
    return e;
  }

  @Test
  void missingExecutable() {
    var e = refused("MISSING_EXECUTABLE", Command.of("no-such-program-heddle"));
    assertTrue(e.getMessage().contains("no-such-program-heddle"), e.getMessage());
    assertTrue(e.getMessage().contains("Install it on this host"), e.getMessage());
  }

  @Test
  void executableWithoutTheExecuteBit() throws Exception {
    Path script = dir.resolve("script.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    var e = refused("NOT_EXECUTABLE", Command.of(script.toString()));
    assertTrue(e.getMessage().contains(script.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("chmod +x"), e.getMessage());
  }

  @Test
  void missingWorkingDirectory() {
    Path missing = dir.resolve("nowhere");
    var e = refused("CWD_MISSING", Command.of("true").cwd(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void emptyCommand() {
    refused("EMPTY_COMMAND", Command.of(""));
  }

  @Test
  void environmentNameWithEquals() {
    var e = refused("BAD_ENV", Command.of("true").env("A=B", "x"));
    assertTrue(e.getMessage().contains("A=B"), e.getMessage());
  }

  @Test
  void passingAClosedSocket() {
    ListeningSocket s = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    host.close(s);
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () -> host.spawn(ProcessSpec.builder("svc", Command.of("true")).inherit(s).build()));
    assertEquals("CLOSED_SOCKET", e.code());
    assertTrue(e.getMessage().contains(s.id()), e.getMessage());
  }

  @Test
  void portAlreadyInUse() {
    ListeningSocket s = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> host.listen(SocketSpec.tcp("127.0.0.1", s.port())));
    assertEquals("PORT_IN_USE", e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:" + s.port()), e.getMessage());
    assertTrue(e.getMessage().contains("port 0"), e.getMessage());
  }

  @Test
  void logDirectoryThatCannotBeCreated() throws Exception {
    // Root ignores permission bits, so block the directory with a file instead.
    Files.createDirectories(host.stateDir().resolve("logs"));
    Files.writeString(host.stateDir().resolve("logs").resolve("svc"), "in the way");
    var e = refused("LOG_NOT_WRITABLE", Command.of("true"));
    assertTrue(e.getMessage().contains("state directory"), e.getMessage());
  }

  @Test
  void badServiceNamesAreRefusedWhereTheyArrive() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessSpec.builder("bad name/..", Command.of("true")).build());
    assertTrue(e.getMessage().contains("'bad name/..'"), e.getMessage());
  }

  @Test
  void aSecondAgentForTheSameStateDirectoryIsRefused() throws Exception {
    HeddleException e = assertThrows(HeddleException.class, () -> Host.local(host.stateDir()));
    assertEquals("STATE_DIR_BUSY", e.code());
    assertTrue(e.getMessage().contains("already owns the state directory"), e.getMessage());

    // The agent itself refuses too (exit code 3), whoever starts it.
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process second =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.heddle.agent.AgentMain",
                "--state-dir",
                host.stateDir().toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(second.waitFor(30, TimeUnit.SECONDS));
    String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(3, second.exitValue(), out);
    assertTrue(out.contains("a second agent for it is refused"), out);
  }

  @Test
  void agentClassesMissing() {
    System.setProperty("heddle.agent.classpath", dir.resolve("no-agent.jar").toString());
    try {
      HeddleException e =
          assertThrows(HeddleException.class, () -> Host.local(dir.resolve("other")));
      assertEquals("AGENT_START_FAILED", e.code());
      assertTrue(e.getMessage().contains("AgentMain"), e.getMessage());
      assertTrue(e.getMessage().contains("Its log"), e.getMessage());
    } finally {
      System.clearProperty("heddle.agent.classpath");
    }
  }

  @Test
  void stateDirectoryWithASocketPathTooLong() {
    Path deep = dir.resolve("x".repeat(60)).resolve("y".repeat(60));
    HeddleException e = assertThrows(HeddleException.class, () -> Host.local(deep));
    assertEquals("AGENT_START_FAILED", e.code());
    assertTrue(e.getMessage().contains("107 bytes"), e.getMessage());
  }
}
