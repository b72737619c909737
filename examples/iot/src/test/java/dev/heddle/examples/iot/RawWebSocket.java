package dev.heddle.examples.iot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A WebSocket client that sends whatever bytes a test wants, to check how the server copes. */
final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  final String responseHead;

  /** Connects and sends {@code head} (a request head, good or bad); reads the response head. */
  RawWebSocket(InetSocketAddress address, String head) throws IOException {
    socket = new Socket(address.getHostString(), address.getPort());
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    responseHead = b.toString(StandardCharsets.US_ASCII);
  }

  /** A proper opening handshake with {@code token}. */
  static String handshake(String token) {
    return "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Authorization: Bearer "
        + token
        + "\r\n\r\n";
  }

  /** A frame: {@code first} byte as given, masked or not, with {@code payload}. */
  void send(int first, boolean masked, byte[] payload) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(first);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      b.write(maskBit | payload.length);
    } else {
      b.write(maskBit | 126);
      b.write(payload.length >> 8);
      b.write(payload.length & 0xFF);
    }
    byte[] mask = {1, 2, 3, 4};
    if (masked) {
      b.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      b.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
    }
    socket.getOutputStream().write(b.toByteArray());
  }

  /** Sends raw bytes. */
  void sendRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
  }

  /**
   * Reads server frames until a close frame, returning its status code (-1 when the connection ends
   * without one).
   */
  int awaitClose() throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return -1;
      }
      int len = b1 & 0x7F;
      if (len == 126) {
        len = (in.read() << 8) | in.read();
      }
      byte[] payload = in.readNBytes(len);
      if ((b0 & 0x0F) == 0x8) {
        return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
