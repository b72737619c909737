package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Copies a node's stderr to its log file (up to a limit) and, with --log-stderr, to the console;
 * keeps the last lines for error messages. Runs on the node's stderr thread.
 */
final class StderrLog {
  static final long LIMIT = 256L * 1024 * 1024;
  private static final int TAIL = 20;
  private final String node;
  private final InputStream in;
  private final OutputStream file;
  private final @Nullable PrintStream console;
  private final Problems problems;
  private final ArrayDeque<String> tail = new ArrayDeque<>();

  StderrLog(
      String node,
      InputStream in,
      OutputStream file,
      @Nullable PrintStream console,
      Problems problems) {
    this.node = node;
    this.in = in;
    this.file = file;
    this.console = console;
    this.problems = problems;
  }

  void run() {
    byte[] buf = new byte[16 * 1024];
    long written = 0;
    StringBuilder line = new StringBuilder();
    try (file) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (written < LIMIT) {
          int keep = (int) Math.min(n, LIMIT - written);
          file.write(buf, 0, keep);
          written += keep;
          if (written >= LIMIT) {
            problems.record(
                node, Problems.Kind.STDERR_TRUNCATED, "log reached " + LIMIT + " bytes");
          }
        }
        line.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        int nl;
        while ((nl = line.indexOf("\n")) >= 0) {
          remember(line.substring(0, nl));
          line.delete(0, nl + 1);
        }
        if (line.length() > 4096) {
          remember(line.toString());
          line.setLength(0);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    if (!line.isEmpty()) {
      remember(line.toString());
    }
  }

  private void remember(String text) {
    if (console != null) {
      console.println(node + " | " + text);
    }
    synchronized (tail) {
      if (tail.size() == TAIL) {
        tail.removeFirst();
      }
      tail.addLast(text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  /** Returns the last lines written to stderr. */
  List<String> tail() {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }
}
