package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.ssh.SshHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link SshHosts#connect} says when it cannot give a host; nothing is left behind. */
class SshHostsBadInputTest {

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    assertTrue(
        SshHostsTest.eventually(() -> SshHostsTest.threadsNamed("SshClient").isEmpty()),
        "MINA threads left: " + SshHostsTest.threadsNamed("SshClient"));
  }

  @Test
  void unknownHostKeyIsAnErrorShowingTheFingerprint(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> SshHosts.connect(SshHostsTest.h(1).knownHosts(empty)));
    assertEquals("ssh-host-key-unknown", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
  }

  @Test
  void missingRemoteJavaIsAnErrorNamingWhatWasFound() {
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () -> SshHosts.connect(SshHostsTest.h(1).java("/opt/no-such-jdk/bin/java")));
    assertEquals("ssh-no-java", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("/opt/no-such-jdk/bin/java"), e.getMessage());
    assertTrue(e.getMessage().contains("found no such program"), e.getMessage());
  }

  @Test
  void oldRemoteJavaIsAnErrorNamingItsVersion() {
    Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no Java 17 here");
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () -> SshHosts.connect(SshHostsTest.h(1).java(java17.toString())));
    assertEquals("ssh-old-java", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("is Java 17"), e.getMessage());
  }

  @Test
  void anAgentThatCannotStartIsAnErrorWithItsStderr(@TempDir Path dir) throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "");
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () ->
                SshHosts.connect(
                    SshHostsTest.h(1)
                        .stateDir(notADir.resolve("state").toString())
                        .reconnectGrace(Duration.ZERO)));
    assertEquals("ssh-agent-start-failed", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("--stdio"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
    assertTrue(e.getMessage().contains("heddle-agent"), e.getMessage());
    // with a grace period (the default) the bridge runs first, and says what was wrong
    HeddleException bridged =
        assertThrows(
            HeddleException.class,
            () ->
                SshHosts.connect(SshHostsTest.h(1).stateDir(notADir.resolve("state").toString())));
    assertEquals("ssh-agent-start-failed", bridged.code(), bridged.getMessage());
    assertTrue(bridged.getMessage().contains("AgentBridge"), bridged.getMessage());
    assertTrue(
        bridged
            .getMessage()
            .contains("heddle-agent-bridge: cannot create the agent's state directory"),
        bridged.getMessage());
  }

  @Test
  void unreachableHostIsAnErrorWithinTheConnectTimeout() {
    long start = System.nanoTime();
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () -> SshHosts.connect(SshHostsTest.h(99).connectTimeout(Duration.ofSeconds(1))));
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals("ssh-unreachable", e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("10.77.0.99"), e.getMessage());
    assertTrue(ms < 3000, "took " + ms + " ms");
  }
}
