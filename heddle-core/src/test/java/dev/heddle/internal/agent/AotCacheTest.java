package dev.heddle.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heddle.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's AOT cache: used when present, trained when missing, never a reason to fail. */
class AotCacheTest {
  @TempDir Path dir;
  Path cacheDir;
  Path cache;

  @BeforeEach
  void pointTheCacheAtATemporaryDirectory() {
    cacheDir = dir.resolve("cache");
    System.setProperty("heddle.agent.aotCache", cacheDir.toString());
    cache =
        AotCacheLauncher.cacheFile(
            AgentLauncher.javaBinary(), AgentLauncher.jvmFlags(), AgentLauncher.agentClasspath());
    assumeTrue(cache != null, "the agent is not a jar here, so it has no AOT cache");
  }

  @AfterEach
  void restore() {
    System.clearProperty("heddle.agent.aotCache");
  }

  @Test
  void aCorruptCacheNeverStopsTheAgentFromStarting() throws Exception {
    Files.createDirectories(cacheDir);
    Files.write(cache, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // not an AOT cache at all
    try (Host host = Host.local(dir.resolve("state"))) {
      assertTrue(usedTheCache((AgentHost) host), "the agent was given the cache file");
      assertEquals("local", host.name());
    }
  }

  @Test
  void aMissingCacheIsTrainedInTheBackgroundAndThenUsed() throws Exception {
    try (Host host = Host.local(dir.resolve("first"))) {
      assertFalse(usedTheCache((AgentHost) host));
    }
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (!Files.exists(cache) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(cache), "no cache after 90 s; " + list(cacheDir));
    long leftovers = 0;
    while (System.nanoTime() < deadline && (leftovers = countLeftovers()) > 0) {
      Thread.sleep(100); // the wrapper removes its lock and temporary files after the rename
    }
    assertEquals(0L, leftovers, list(cacheDir).toString());
    try (Host host = Host.local(dir.resolve("second"))) {
      assertTrue(usedTheCache((AgentHost) host));
    }
  }

  private long countLeftovers() throws Exception {
    try (Stream<Path> files = Files.list(cacheDir)) {
      return files.filter(p -> !p.equals(cache)).count();
    }
  }

  private static boolean usedTheCache(AgentHost host) {
    return Objects.requireNonNull(host.agentProcess())
        .info()
        .arguments()
        .map(a -> Arrays.stream(a).anyMatch(f -> f.startsWith("-XX:AOTCache=")))
        .orElse(false);
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
