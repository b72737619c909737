package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits a node's stdout into lines and parses each one, on the node's reader thread. Lines longer
 * than the limit are discarded and reported. Valid messages go to the sink, one list per chunk
 * read; bad lines to {@link Problems}.
 */
final class StdoutReader {
  static final int MAX_LINE = 8 * 1024 * 1024;
  private final String node;
  private final InputStream in;
  private final Consumer<List<Wire.Valid>> sink;
  private List<Wire.Valid> batch = new ArrayList<>();
  private final Problems problems;

  StdoutReader(String node, InputStream in, Consumer<List<Wire.Valid>> sink, Problems problems) {
    this.node = node;
    this.in = in;
    this.sink = sink;
    this.problems = problems;
  }

  /** Reads until end of stream. Blocks. */
  void run() {
    byte[] buf = new byte[64 * 1024];
    int filled = 0;
    boolean discarding = false;
    try {
      while (true) {
        if (filled == buf.length) {
          if (buf.length >= MAX_LINE) {
            problems.record(
                node, Problems.Kind.LINE_TOO_LONG, "a line of more than " + MAX_LINE + " bytes");
            filled = 0;
            discarding = true;
          } else {
            buf = Arrays.copyOf(buf, buf.length * 2);
          }
        }
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          break;
        }
        int scanFrom = filled;
        filled += n;
        int lineStart = 0;
        for (int i = scanFrom; i < filled; i++) {
          if (buf[i] == '\n') {
            if (discarding) {
              discarding = false;
            } else if (i > lineStart) {
              handle(buf, lineStart, i - lineStart);
            }
            lineStart = i + 1;
          }
        }
        flush();
        if (lineStart > 0) {
          System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
          filled -= lineStart;
        }
      }
      if (filled > 0 && !discarding) {
        handle(buf, 0, filled);
        flush();
      }
    } catch (IOException e) {
      // the process is gone; its exit is reported by the exit watcher
    }
  }

  private void flush() {
    if (!batch.isEmpty()) {
      sink.accept(batch);
      batch = new ArrayList<>();
    }
  }

  private void handle(byte[] buf, int off, int len) {
    if (len == 1 && buf[off] == '\r') {
      return;
    }
    switch (Wire.parse(buf, off, len)) {
      case Wire.Valid v -> batch.add(v);
      case Wire.Invalid bad -> problems.record(node, bad.kind(), bad.detail());
    }
  }
}
