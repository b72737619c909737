package dev.heddle.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bounded copy of a remote agent's stderr, and the command line that starts the agent. */
class StderrTailTest {

  @Test
  void keepsTheLastBytesOnly() {
    StderrTail tail = new StderrTail();
    byte[] line = "0123456789abcde\n".getBytes(StandardCharsets.UTF_8); // 16 bytes
    for (int i = 0; i < StderrTail.KEEP / 16 + 3; i++) {
      tail.write(line, 0, line.length);
    }
    tail.write("last words\n".getBytes(StandardCharsets.UTF_8), 0, 11);
    String text = tail.text();
    assertEquals(StderrTail.KEEP, text.getBytes(StandardCharsets.UTF_8).length);
    assertTrue(text.endsWith("0123456789abcde\nlast words\n"), text);
    assertEquals("    0123456789abcde\n    last words\n", tail.lastLines(2));
  }

  @Test
  void saysNothingWhenTheAgentSaidNothing() {
    assertEquals("    (nothing)\n", new StderrTail().lastLines(20));
  }

  @Test
  void theAgentCommandQuotesEveryWord() {
    String cmd = RemoteAgent.command("/opt/my jdk/bin/java", "/h/a.jar", "/s/it's", "h1");
    assertTrue(cmd.startsWith("exec '/opt/my jdk/bin/java' "), cmd);
    assertTrue(cmd.contains(" '--stdio' '--state-dir' '/s/it'\\''s' '--host-label' 'h1'"), cmd);
    assertTrue(cmd.contains("'-Xlog:all=warning:stderr'"), cmd);
  }
}
