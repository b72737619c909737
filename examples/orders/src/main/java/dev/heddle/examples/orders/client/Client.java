package dev.heddle.examples.orders.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A test client of orderd's line protocol: one request line, one reply line. */
public final class Client implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  /** Connects (5 s limit); replies must come within 30 s. Blocks. */
  public Client(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 5000);
    socket.setSoTimeout(30_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Sends {@code line} and returns the reply; throws when the connection breaks. */
  public String send(String line) throws IOException {
    write(line + "\n");
    String reply = in.readLine();
    if (reply == null) {
      throw new IOException("orderd closed the connection after '" + line + "'");
    }
    return reply;
  }

  /** Sends raw text (no newline added). */
  public void write(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next reply line, or null at end of stream. */
  public @Nullable String readLine() throws IOException {
    return in.readLine();
  }

  /** One request on a fresh connection. */
  public static String once(InetSocketAddress address, String line) throws IOException {
    try (Client c = new Client(address)) {
      return c.send(line);
    }
  }

  /** Sends raw bytes. */
  public void write(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
