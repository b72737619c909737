package dev.heddle.examples.iot.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of RFC 6455, on blocking streams: the opening handshake ({@link #accept}), a
 * {@link Reader} of client frames that enforces the protocol (masking, opcodes, control frame
 * rules, fragmentation, UTF-8, a size limit) and {@link #frame} to encode server frames. No
 * extensions (no compression), no subprotocols.
 */
public final class WebSocket {
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  private static final int CONTINUATION = 0x0;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WebSocket() {}

  /**
   * Checks that {@code request} is a WebSocket opening handshake and answers it with {@code 101}.
   *
   * @throws Http.BadRequest (400 or 426) when it is not one; nothing was written
   */
  public static void accept(Http.Request request, OutputStream out) throws IOException {
    String upgrade = request.header("upgrade");
    String connection = request.header("connection");
    String key = request.header("sec-websocket-key");
    if (!"GET".equals(request.method())
        || upgrade == null
        || !upgrade.equalsIgnoreCase("websocket")
        || connection == null
        || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      throw new Http.BadRequest(426, "this endpoint speaks WebSocket only (RFC 6455)");
    }
    if (!"13".equals(request.header("sec-websocket-version"))) {
      throw new Http.BadRequest(426, "want Sec-WebSocket-Version: 13");
    }
    if (key == null || !validKey(key)) {
      throw new Http.BadRequest(400, "bad Sec-WebSocket-Key");
    }
    String head =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + acceptKey(key)
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static boolean validKey(String key) {
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code base64(sha1(key + GUID))}, the handshake's proof. */
  static String acceptKey(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  /** One unmasked server frame with FIN set. */
  public static byte[] frame(int opcode, byte[] payload) {
    int n = payload.length;
    int head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    ByteBuffer b = ByteBuffer.allocate(head + n);
    b.put((byte) (0x80 | opcode));
    if (n < 126) {
      b.put((byte) n);
    } else if (n < 65536) {
      b.put((byte) 126).putShort((short) n);
    } else {
      b.put((byte) 127).putLong(n);
    }
    return b.put(payload).array();
  }

  /** A text frame. */
  public static byte[] text(String text) {
    return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A close frame with {@code code} and a short reason. */
  public static byte[] close(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + Math.min(r.length, 120));
    b.putShort((short) code).put(r, 0, Math.min(r.length, 120));
    return frame(CLOSE, b.array());
  }

  /** A breach of the protocol by the client; {@code code} is the close code to answer with. */
  public static final class ProtocolError extends IOException {
    private final int code;

    public ProtocolError(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * A message or control frame from the client.
   *
   * @param opcode {@link #TEXT}, {@link #BINARY}, {@link #PING}, {@link #PONG} or {@link #CLOSE}
   * @param payload the whole (reassembled) payload
   */
  @SuppressWarnings("ArrayRecordComponent") // a frame's bytes, owned by the reader of the message
  public record Message(int opcode, byte[] payload) {
    /** The payload as text (already checked to be UTF-8 for TEXT). */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Reads client frames from one connection; not thread-safe (one reader per connection). */
  public static final class Reader {
    private final InputStream in;
    private final int maxMessage;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private int partialOpcode = -1;

    public Reader(InputStream in, int maxMessage) {
      this.in = in;
      this.maxMessage = maxMessage;
    }

    /**
     * The next complete message or control frame.
     *
     * @throws ProtocolError when the client breaks RFC 6455 (close with its code)
     * @throws IOException when the connection fails or ends
     */
    public Message next() throws IOException {
      while (true) {
        int b0 = readByte();
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
          throw new ProtocolError(1002, "reserved bits set (no extension was negotiated)");
        }
        if ((b1 & 0x80) == 0) {
          throw new ProtocolError(1002, "client frames must be masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
          len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | readByte();
          }
          if (len < 0) {
            throw new ProtocolError(1002, "frame length has its top bit set");
          }
        }
        boolean control = opcode >= 0x8;
        if (control && (len > 125 || !fin)) {
          throw new ProtocolError(1002, "control frames must be whole and at most 125 bytes");
        }
        if (opcode != CONTINUATION
            && opcode != TEXT
            && opcode != BINARY
            && opcode != CLOSE
            && opcode != PING
            && opcode != PONG) {
          throw new ProtocolError(1002, "unknown opcode " + opcode);
        }
        if (len + partial.size() > maxMessage) {
          throw new ProtocolError(1009, "message larger than " + maxMessage + " bytes");
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) len);
        if (mask.length != 4 || payload.length != len) {
          throw new IOException("connection closed inside a frame");
        }
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
        if (control) {
          return new Message(opcode, payload);
        }
        if (opcode == CONTINUATION) {
          if (partialOpcode < 0) {
            throw new ProtocolError(1002, "continuation frame without a message to continue");
          }
        } else {
          if (partialOpcode >= 0) {
            throw new ProtocolError(1002, "new message inside a fragmented one");
          }
          partialOpcode = opcode;
        }
        partial.writeBytes(payload);
        if (fin) {
          byte[] whole = partial.toByteArray();
          int op = partialOpcode;
          partial.reset();
          partialOpcode = -1;
          if (op == TEXT) {
            checkUtf8(whole);
          }
          return new Message(op, whole);
        }
      }
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      return b;
    }

    private static void checkUtf8(byte[] bytes) throws ProtocolError {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
      } catch (CharacterCodingException e) {
        throw new ProtocolError(1007, "text message is not valid UTF-8");
      }
    }
  }
}
