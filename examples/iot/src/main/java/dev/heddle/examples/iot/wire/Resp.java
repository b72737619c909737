package dev.heddle.examples.iot.wire;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Just enough of a Redis client: one connection, one command at a time ({@link #call}), replies as
 * Java values; and {@link #read()} for a connection in subscribe mode. Not thread-safe: callers
 * hold their own lock (see {@link Redis}).
 */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /**
   * Connects to {@code host:port} within 1 s; reads time out after {@code readTimeoutMs} (0:
   * never).
   */
  public Resp(String host, int port, int readTimeoutMs) throws IOException {
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), 1000);
      socket.setSoTimeout(readTimeoutMs);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = socket.getOutputStream();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends one command, returns its reply: {@code String} (simple or bulk), {@code Long}, {@code
   * List<Object>} (array), or {@code null} (nil).
   *
   * @throws RedisError for an error reply
   * @throws IOException when the connection fails (the command may or may not have run)
   */
  public @Nullable Object call(String... words) throws IOException {
    send(words);
    return read();
  }

  /** Sends one command without reading its reply. */
  public void send(String... words) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    b.writeBytes(("*" + words.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String w : words) {
      byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(b.toByteArray());
    out.flush();
  }

  /** Reads one reply (in subscribe mode: one pushed message, an array). */
  public @Nullable Object read() throws IOException {
    String line = line();
    if (line.isEmpty()) {
      throw new IOException("empty reply line from redis");
    }
    String rest = line.substring(1);
    return switch (line.charAt(0)) {
      case '+' -> rest;
      case ':' -> Long.parseLong(rest);
      case '-' -> throw new RedisError(rest);
      case '$' -> {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          yield null;
        }
        byte[] data = in.readNBytes(n + 2);
        if (data.length != n + 2) {
          throw new IOException("redis closed the connection mid-reply");
        }
        yield new String(data, 0, n, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          yield null;
        }
        List<@Nullable Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(read());
        }
        yield items;
      }
      default -> throw new IOException("unexpected reply from redis: " + line);
    };
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("redis closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }

  /** An error reply from Redis (the command did not run, or a script returned an error). */
  public static final class RedisError extends IOException {
    public RedisError(String message) {
      super("redis: " + message);
    }
  }
}
