package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport against the real OpenSSH sshd of the fake hosts. */
class SshTransportTest {

  @BeforeAll
  static void hosts() throws Exception {
    TestHosts.up();
  }

  private static SshTarget h(int i, String key) {
    return SshTarget.of("root@" + TestHosts.address(i))
        .identity(TestHosts.DIR.resolve(key))
        .knownHosts(TestHosts.DIR.resolve("known_hosts"))
        .connectTimeout(Duration.ofSeconds(5));
  }

  @Test
  void connectsWithEd25519AndRsaKeys() throws Exception {
    for (String key : List.of("id_ed25519", "id_rsa")) {
      SshTransport ssh = SshTransport.open(h(2, key));
      try {
        SshTransport.Result r = ssh.run("hostname; echo $FAKE_HOST", Duration.ofSeconds(10));
        assertEquals(0, r.status(), r.err());
        assertEquals("h2\nh2\n", r.out(), key);
      } finally {
        ssh.close();
      }
    }
  }

  @Test
  void unknownHostKeyIsRefusedWithItsFingerprint(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> SshTransport.open(h(2, "id_ed25519").knownHosts(empty)));
    assertEquals("ssh-host-key-unknown", e.code());
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    assertTrue(
        e.getMessage().contains("ssh-keyscan -t ed25519 10.77.0.2 >> " + empty), e.getMessage());
  }

  @Test
  void changedHostKeyIsRefused(@TempDir Path dir) throws Exception {
    // h2's address listed with h1's key: what a reinstalled or impersonated host looks like
    String h1Key =
        Files.readString(TestHosts.DIR.resolve("h1/ssh_host_ed25519_key.pub")).split(" ", -1)[1];
    Path wrong =
        Files.writeString(dir.resolve("known_hosts"), "10.77.0.2 ssh-ed25519 " + h1Key + "\n");
    HeddleException e =
        assertThrows(
            HeddleException.class, () -> SshTransport.open(h(2, "id_ed25519").knownHosts(wrong)));
    assertEquals("ssh-host-key-changed", e.code());
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    assertTrue(e.getMessage().contains("ssh-keygen -f " + wrong + " -R"), e.getMessage());
  }

  @Test
  void unreachableHostFailsWithinTheConnectTimeout() {
    long start = System.nanoTime();
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () -> SshTransport.open(h(99, "id_ed25519").connectTimeout(Duration.ofSeconds(1))));
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals("ssh-unreachable", e.code(), e.getMessage());
    assertTrue(ms < 3000, "took " + ms + " ms");
    assertTrue(e.getMessage().contains("10.77.0.99"), e.getMessage());
  }
}
