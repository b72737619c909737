package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The fake hosts of {@code testhosts/up} (h1..h3, 10.77.0.N): brings them up if needed (root only;
 * other users skip the test with a message saying so).
 */
final class TestHosts {
  static final Path DIR =
      Path.of(System.getenv().getOrDefault("HEDDLE_TESTHOSTS_DIR", "/var/lib/heddle-testhosts"));

  private TestHosts() {}

  static synchronized void up() throws IOException, InterruptedException {
    if (Files.exists(DIR.resolve("known_hosts"))
        && Files.readAllLines(DIR.resolve("hosts")).size() >= 3) {
      return;
    }
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "SSH tests need the fake hosts of testhosts/up, which needs root: run `sudo testhosts/up 3`");
    Path script = repoRoot().resolve("testhosts/up");
    Process p = new ProcessBuilder(script.toString(), "3").inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " 3 failed");
    }
  }

  static String address(int i) {
    return "10.77.0." + i;
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("testhosts/up"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "testhosts/up not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
