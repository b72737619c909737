package dev.heddle.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Artifact;
import dev.heddle.DeployProgress;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolves from this machine's local repository, offline (the build put MINA SSHD there for
 * heddle-ssh), and deploys the closure through a real local agent.
 */
class MavenArtifactsTest {
  static final MavenArtifacts OFFLINE = MavenArtifacts.defaults().offline(true);

  @TempDir Path dir;

  @Test
  void aCoordinateBringsItsRuntimeClosure() {
    List<Artifact> closure = OFFLINE.resolve("org.apache.sshd:sshd-core:2.20.0");
    List<String> names = closure.stream().map(Artifact::name).toList();
    assertEquals("sshd-core-2.20.0.jar", names.getFirst());
    assertTrue(names.contains("sshd-common-2.20.0.jar"), names.toString());
    assertTrue(names.stream().anyMatch(n -> n.startsWith("slf4j-api-")), names.toString());
    closure.forEach(a -> assertTrue(Files.isRegularFile(a.source()), a.toString()));
  }

  @Test
  void theClosureDeploysAndARedeploySendsNothing() throws Exception {
    List<Artifact> closure = OFFLINE.resolve("org.apache.sshd:sshd-core:2.20.0");
    try (Host host = Host.local(dir.resolve("state"))) {
      ((dev.heddle.internal.agent.AgentHost) host).storeDir(dir.resolve("store").toString());
      List<Path> placed = host.deploy(closure);
      for (int i = 0; i < closure.size(); i++) {
        assertTrue(placed.get(i).getFileName().toString().endsWith("-" + closure.get(i).name()));
        assertArrayEquals(
            Files.readAllBytes(closure.get(i).source()), Files.readAllBytes(placed.get(i)));
      }
      AtomicLong toSend = new AtomicLong(-1);
      DeployProgress progress = (h, sent, total) -> toSend.set(total);
      assertEquals(placed, host.deploy(closure, progress));
      assertEquals(0, toSend.get());
    }
  }

  @Test
  void badCoordinatesAndMissingArtifactsAreNamed() {
    var bad = assertThrows(IllegalArgumentException.class, () -> OFFLINE.resolve("sshd-core"));
    assertTrue(bad.getMessage().contains("groupId:artifactId"), bad.getMessage());
    var missing =
        assertThrows(
            HeddleException.class, () -> OFFLINE.resolve("dev.heddle.nowhere:nothing:9.9.9"));
    assertEquals("MAVEN_RESOLVE", missing.code());
    assertTrue(
        missing.getMessage().contains("dev.heddle.nowhere:nothing:9.9.9"), missing.getMessage());
    assertTrue(missing.getMessage().contains("offline"), missing.getMessage());
  }
}
