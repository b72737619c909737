package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads lines of at most {@code maxBytes} bytes from a channel, without ever holding more than
 * that: a longer line is skipped up to its newline and reported as {@link TooLong}, so a client
 * sending a megabyte without a newline costs a fixed buffer. Not thread-safe (one per connection).
 */
final class LineReader {
  /** What {@link #next()} found. */
  sealed interface Result {}

  /** A complete line, without its {@code \n} (or {@code \r\n}). */
  record Line(String text) implements Result {}

  /** A line longer than the limit (skipped), or one that is not UTF-8. */
  record Bad(String reason) implements Result {}

  private final ReadableByteChannel in;
  private final int maxBytes;
  private final ByteBuffer buf;
  private final byte[] line;
  private int lineLength;
  private boolean skipping;

  LineReader(ReadableByteChannel in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.buf = ByteBuffer.allocate(8192).flip();
    this.line = new byte[maxBytes];
  }

  /** The next line, or null at end of stream (a partial last line is dropped). Blocks. */
  @Nullable Result next() throws IOException {
    while (true) {
      while (buf.hasRemaining()) {
        byte b = buf.get();
        if (b == '\n') {
          Result r = skipping ? new Bad("line longer than " + maxBytes + " bytes") : decode();
          skipping = false;
          lineLength = 0;
          return r;
        }
        if (skipping) {
          continue;
        }
        if (lineLength == maxBytes) {
          skipping = true;
          lineLength = 0;
        } else {
          line[lineLength++] = b;
        }
      }
      buf.clear();
      int n = in.read(buf);
      buf.flip();
      if (n < 0) {
        return null;
      }
    }
  }

  private Result decode() {
    int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    try {
      return new Line(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line, 0, len))
              .toString());
    } catch (CharacterCodingException e) {
      return new Bad("line is not valid UTF-8");
    }
  }
}
