package dev.heddle.agent.internal.protocol;

/**
 * A frame or request that does not follow the protocol. The agent answers it with an error frame.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Machine-readable reason, sent as the error frame's {@code code}. */
  public enum Code {
    BAD_FRAME,
    UNSUPPORTED_VERSION,
    UNKNOWN_REQUEST,
    BAD_REQUEST
  }

  private final Code code;
  private final long requestId;
  private final String requestType;

  public ProtocolException(Code code, String message) {
    this(code, message, 0, "");
  }

  private ProtocolException(Code code, String message, long requestId, String requestType) {
    super(message);
    this.code = code;
    this.requestId = requestId;
    this.requestType = requestType;
  }

  /** The same problem, tied to the request it was found in, so the error reply can name it. */
  public ProtocolException about(long id, String type) {
    return new ProtocolException(code, String.valueOf(getMessage()), id, type);
  }

  public Code code() {
    return code;
  }

  /** The id of the request this problem was found in, or 0 when the header was unreadable. */
  public long requestId() {
    return requestId;
  }

  public String requestType() {
    return requestType;
  }
}
