package dev.heddle.ssh.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last {@value #KEEP} bytes of the remote agent's stderr (its own diagnostics), kept to explain
 * a failed start or a lost connection. Written by MINA's I/O threads, read by anyone; bounded.
 */
final class StderrTail extends OutputStream {
  static final int KEEP = 16 * 1024;
  private final byte[] ring = new byte[KEEP];
  private long written;

  @Override
  public synchronized void write(int b) {
    ring[(int) (written++ % KEEP)] = (byte) b;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = 0; i < len; i++) {
      ring[(int) (written++ % KEEP)] = b[off + i];
    }
  }

  /** What was kept, oldest first, as UTF-8 (a cut character at the start shows as U+FFFD). */
  synchronized String text() {
    if (written <= KEEP) {
      return new String(ring, 0, (int) written, StandardCharsets.UTF_8);
    }
    int start = (int) (written % KEEP);
    byte[] out = Arrays.copyOfRange(ring, start, start + KEEP);
    System.arraycopy(ring, 0, out, KEEP - start, start);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The last {@code lines} lines, each indented, for a message. */
  String lastLines(int lines) {
    String text = text().strip();
    if (text.isEmpty()) {
      return "    (nothing)\n";
    }
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < all.length; i++) {
      sb.append("    ").append(all[i]).append('\n');
    }
    return sb.toString();
  }
}
