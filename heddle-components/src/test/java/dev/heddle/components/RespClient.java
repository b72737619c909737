package dev.heddle.components;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Just enough of a Redis client for the tests: a command in, one reply out, as text. */
final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespClient(Redis redis) throws IOException {
    socket = new Socket(redis.address(), redis.port());
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /**
   * Sends {@code words} as one command; returns the reply: a simple string or integer as text, a
   * bulk string's content, {@code null} for a nil bulk string.
   *
   * @throws IOException for an error reply, with its text
   */
  String call(String... words) throws IOException {
    StringBuilder b = new StringBuilder().append('*').append(words.length).append("\r\n");
    for (String w : words) {
      byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
      b.append('$').append(bytes.length).append("\r\n").append(w).append("\r\n");
    }
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line = line();
    return switch (line.charAt(0)) {
      case '+', ':' -> line.substring(1);
      case '-' -> throw new IOException("redis said: " + line.substring(1));
      case '$' -> {
        int n = Integer.parseInt(line.substring(1));
        if (n < 0) {
          yield "(nil)";
        }
        byte[] data = in.readNBytes(n + 2);
        yield new String(data, 0, n, StandardCharsets.UTF_8);
      }
      default -> throw new IOException("unexpected reply: " + line);
    };
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
