package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphan reaping by a subreaper, run in a child JVM (see {@link OrphanReaperMain} for why). */
class ReapOrphansTest {
  @TempDir Path dir;

  @Test
  void subreaperReapsAdoptedOrphansButNotWatchedChildren() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (ExitReactor reactor = ExitReactor.start("test-orphan-reactor");
        Kids kids = new Kids(reactor, dir)) {
      var kid =
          kids.spawn(
              kids.spec(
                  java,
                  "--enable-native-access=ALL-UNNAMED",
                  "-Xshare:auto",
                  "-cp",
                  System.getProperty("java.class.path"),
                  OrphanReaperMain.class.getName(),
                  dir.toString()));
      RawExit exit = kid.await();
      assertEquals(new RawExit.Exited(0), exit, () -> "child JVM stderr:\n" + read(kids.err()));
      assertEquals("reaped=1 mine=Exited[code=3]\n", kids.readOut());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(unreadable: " + e + ")";
    }
  }
}
