package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress lines of a deploy: large transfers are shown, small ones and no-ops are not. */
class DeployProgressTest {
  @Test
  void aLargeTransferIsShownAtItsStartAndItsEndAndSmallOnesNotAtAll() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeployProgress p =
        DeployProgress.printing(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), "> ", 1_000_000);
    p.sent("h1", 0, 50_000_000);
    for (long sent = 1_000_000; sent < 50_000_000; sent += 1_000_000) {
      p.sent("h1", sent, 50_000_000); // quicker than every half second: not printed
    }
    p.sent("h1", 50_000_000, 50_000_000);
    p.sent("h2", 0, 0); // nothing to send
    p.sent("h3", 0, 999_999); // small
    p.sent("h3", 999_999, 999_999);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("> h1: 0.0 of 50.0 MB", lines.getFirst());
    assertEquals("> h1: 50.0 of 50.0 MB, done", lines.getLast());
    assertTrue(lines.size() <= 4, lines.toString()); // a slow machine may print one more meanwhile
  }
}
