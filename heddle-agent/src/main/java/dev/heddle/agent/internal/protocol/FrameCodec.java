package dev.heddle.agent.internal.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Frames on a byte stream: a 4-byte big-endian length, then the payload {@code version:u8 kind:u8
 * id:i64 type:string body:map}. The length makes the stream self-synchronising: a payload that
 * fails to decode is skipped whole and the connection stays usable. Only a bad length ends it.
 */
public final class FrameCodec {
  /** The largest payload either side accepts. */
  public static final int MAX_FRAME = 16 << 20;

  private FrameCodec() {}

  /** The frame's bytes, length prefix included. */
  public static byte[] encode(Frame frame) {
    ByteBuffers out = new ByteBuffers();
    out.putInt(0);
    out.put(frame.version()).put(frame.kind().code).putLong(frame.id());
    Values.writeString(out, frame.type());
    Values.write(out, frame.body());
    int payload = out.size() - 4;
    if (payload > MAX_FRAME) {
      throw new IllegalArgumentException(
          "frame '" + frame.type() + "' is " + payload + " bytes; the limit is " + MAX_FRAME);
    }
    out.setInt(0, payload);
    return out.toArray();
  }

  /**
   * Decodes one payload (without its length prefix). A problem found after the header carries the
   * request's id and type, so the error reply can be matched to the request.
   */
  public static Frame decode(byte[] payload) throws ProtocolException {
    ByteBuffer in = ByteBuffer.wrap(payload);
    int version = Values.u8(in);
    if (version != Frame.VERSION) {
      throw new ProtocolException(
          ProtocolException.Code.UNSUPPORTED_VERSION,
          "this side speaks protocol version "
              + Frame.VERSION
              + " but the frame is version "
              + version
              + "; run the same Heddle version on both sides");
    }
    Frame.Kind kind = Frame.Kind.of(Values.u8(in));
    if (in.remaining() < 8) {
      throw new ProtocolException(ProtocolException.Code.BAD_FRAME, "the frame ends in its id");
    }
    long id = in.getLong();
    String type = Values.readString(in);
    try {
      var body = Values.readBody(in);
      if (in.hasRemaining()) {
        throw new ProtocolException(
            ProtocolException.Code.BAD_FRAME,
            in.remaining() + " bytes follow the body of the frame");
      }
      return new Frame(version, kind, id, type, body);
    } catch (ProtocolException e) {
      throw e.about(id, type);
    }
  }

  /**
   * Reads the next payload. Blocks. Returns null at end of stream on a frame boundary.
   *
   * @throws EOFException when the stream ends inside a frame
   * @throws ProtocolException with code BAD_FRAME when the length is out of range; the stream
   *     cannot be trusted after that and the caller should close it
   */
  public static byte @Nullable [] readPayload(DataInputStream in)
      throws IOException, ProtocolException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int length = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
    if (length <= 0 || length > MAX_FRAME) {
      throw new ProtocolException(
          ProtocolException.Code.BAD_FRAME,
          "frame length " + length + " is outside 1.." + MAX_FRAME + "; closing the connection");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }

  /** Convenience for tests and simple clients: read and decode one frame, or null at EOF. */
  public static @Nullable Frame read(InputStream in) throws IOException, ProtocolException {
    DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
    byte[] payload = readPayload(data);
    return payload == null ? null : decode(payload);
  }
}
