package dev.heddle.agent.internal.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One protocol message. Requests carry a client-chosen id; the reply or error to a request carries
 * the same id; events carry id 0.
 *
 * @param version the protocol version the sender speaks
 * @param kind request, reply, error or event
 * @param id the request id this frame belongs to, or 0 for events
 * @param type what the frame is: a request name ({@code spawn}), an event name ({@code exited})
 * @param body the fields, as {@link Values} allows
 */
public record Frame(int version, Kind kind, long id, String type, Map<String, Object> body) {

  /** The protocol version this code speaks. */
  public static final int VERSION = 1;

  /** What a frame is. The numbers are the wire codes. */
  public enum Kind {
    REQUEST(1),
    REPLY(2),
    ERROR(3),
    EVENT(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) throws ProtocolException {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new ProtocolException(ProtocolException.Code.BAD_FRAME, "unknown frame kind " + code);
    }
  }

  public Frame {
    // Keeps the sender's field order: frames read the same in dumps and encode identically.
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
  }

  public static Frame request(long id, String type, Map<String, Object> body) {
    return new Frame(VERSION, Kind.REQUEST, id, type, body);
  }

  public static Frame reply(long id, String type, Map<String, Object> body) {
    return new Frame(VERSION, Kind.REPLY, id, type, body);
  }

  public static Frame event(String type, Map<String, Object> body) {
    return new Frame(VERSION, Kind.EVENT, 0, type, body);
  }

  /** An error reply: {@code code} is machine-readable, {@code message} says what to do. */
  public static Frame error(long id, String type, String code, String message) {
    return new Frame(VERSION, Kind.ERROR, id, type, Map.of("code", code, "message", message));
  }

  /** Typed access to the body, with errors that name the missing or mistyped field. */
  public Body fields() {
    return new Body(type, body);
  }
}
