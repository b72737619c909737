package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** One client connection: a line in, a line out, until the client goes away. */
final class Session implements Runnable {
  /** The longest request line; longer ones are skipped and answered with ERROR. */
  static final int MAX_LINE = 4096;

  private final SocketChannel channel;
  private final Engine engine;

  Session(SocketChannel channel, Engine engine) {
    this.channel = channel;
    this.engine = engine;
  }

  @Override
  public void run() {
    try (channel) {
      LineReader lines = new LineReader(channel, MAX_LINE);
      for (LineReader.Result r = lines.next(); r != null; r = lines.next()) {
        String reply =
            switch (r) {
              case LineReader.Bad bad -> "ERROR " + bad.reason();
              case LineReader.Line line -> answer(line.text());
            };
        ByteBuffer out = StandardCharsets.UTF_8.encode(reply + "\n");
        while (out.hasRemaining()) {
          channel.write(out);
        }
      }
    } catch (IOException gone) {
      // the client disconnected (mid-line or not): nothing was half-done for it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String answer(String line) throws InterruptedException {
    try {
      return engine.handle(Request.parse(line));
    } catch (Request.Malformed e) {
      return "ERROR " + e.getMessage();
    }
  }
}
