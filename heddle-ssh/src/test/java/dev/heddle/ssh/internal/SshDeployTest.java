package dev.heddle.ssh.internal;

import static dev.heddle.ssh.internal.SshHostsTest.eventually;
import static dev.heddle.ssh.internal.SshHostsTest.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Artifact;
import dev.heddle.Command;
import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.ProcessSpec;
import dev.heddle.ssh.SshHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host.deploy to the fake hosts over SSH, checked by the remote hosts themselves. */
class SshDeployTest {
  @TempDir Path dir;

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  @Test
  void deploysToSeveralHostsOnceAndEachHostHasTheSameBytes() throws Exception {
    Path jar = write("app.jar", 5_000_000);
    Path tree = Files.createDirectories(dir.resolve("classes/p"));
    Files.writeString(tree.resolve("A.class"), "a");
    Files.writeString(tree.resolve("B.class"), "b");
    List<Artifact> artifacts = List.of(Artifact.file(jar), Artifact.tree(dir.resolve("classes")));
    try (Host h1 = SshHosts.connect(h(1).storeDir(dir.resolve("store1").toString()));
        Host h2 = SshHosts.connect(h(2).storeDir(dir.resolve("store2").toString()))) {
      Map<String, Long> toSend = new ConcurrentHashMap<>();
      Map<Host, List<Path>> placed =
          Host.deployEverywhere(List.of(h1, h2), artifacts, (h, s, t) -> toSend.put(h, t));
      assertEquals(Map.of("10.77.0.1", 5_000_002L, "10.77.0.2", 5_000_002L), toSend);
      for (Host h : List.of(h1, h2)) {
        Path remoteJar = placed.get(h).getFirst();
        assertEquals(sha256(jar) + "-app.jar", remoteJar.getFileName().toString());
        // the host itself checks what it holds
        assertEquals(
            new ExitStatus.Exited(0),
            run(h, "test \"$(sha256sum < " + remoteJar + " | cut -c1-64)\" = " + sha256(jar)));
        assertEquals(
            new ExitStatus.Exited(0),
            run(h, "test \"$(cat " + placed.get(h).get(1) + "/p/B.class)\" = b"));
      }
      toSend.clear();
      var again = Host.deployEverywhere(List.of(h1, h2), artifacts, (h, s, t) -> toSend.put(h, t));
      assertEquals(placed, again);
      assertEquals(
          Map.of("10.77.0.1", 0L, "10.77.0.2", 0L), toSend, "an unchanged redeploy sent bytes");
    }
  }

  @Test
  void aConnectionKilledMidDeployIsMadeAgainAndTheArtifactArrivesWhole() throws Exception {
    Path jar = write("big.jar", 60_000_000);
    Path store = dir.resolve("store");
    Path state = dir.resolve("state");
    AtomicLong sent = new AtomicLong();
    AtomicReference<@Nullable Object> outcome = new AtomicReference<>();
    try (Host h3 = SshHosts.connect(h(3).storeDir(store.toString()).stateDir(state.toString()))) {
      Thread deploy =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      outcome.set(h3.deploy(List.of(Artifact.file(jar)), (h, s, t) -> sent.set(s)));
                    } catch (HeddleException e) {
                      outcome.set(e);
                    }
                  });
      assertTrue(eventually(() -> sent.get() > 0), "nothing was sent");
      long bridge = SshReconnectTest.bridgePid(dir);
      long sshd = ProcessHandle.of(bridge).orElseThrow().parent().orElseThrow().pid();
      ProcessHandle.of(sshd).orElseThrow().destroyForcibly(); // the connection dies mid-upload
      deploy.join();
      // reconnected and finished, or failed with an error: either way, whatever is in place is
      // whole
      try (Stream<Path> entries = Files.list(store)) {
        for (Path e : entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
          assertEquals(sha256(jar) + "-big.jar", e.getFileName().toString());
          assertEquals(sha256(jar), sha256(e), "a damaged artifact was placed");
        }
      }
      // the chunks lost with the connection were sent again on the next one
      if (outcome.get() instanceof HeddleException e) {
        throw new AssertionError("the deploy did not survive the reconnect", e);
      }
      Path placed = h3.deploy(Artifact.file(jar));
      assertEquals(List.of(placed), outcome.get());
      assertEquals(sha256(jar), sha256(placed));
    }
  }

  private static ExitStatus run(Host h, String script) throws InterruptedException {
    return h.spawn(ProcessSpec.builder("check", Command.shell(script)).build()).awaitExit();
  }

  private Path write(String name, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
