package dev.heddle;

import org.jspecify.annotations.Nullable;

/**
 * Something Heddle was asked to do could not be done. The message says what happened, where, and
 * what to do; the fields say it for programs.
 */
public class HeddleException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final @Nullable String service;
  private final String code;

  public HeddleException(String host, @Nullable String service, String code, String message) {
    super(message);
    this.host = host;
    this.service = service;
    this.code = code;
  }

  public HeddleException(
      String host, @Nullable String service, String code, String message, Throwable cause) {
    super(message, cause);
    this.host = host;
    this.service = service;
    this.code = code;
  }

  /** The host it happened on, by its label ("local", "h2"). */
  public String host() {
    return host;
  }

  /** The service concerned, if any. */
  public @Nullable String service() {
    return service;
  }

  /**
   * A machine-readable reason, such as {@code MISSING_EXECUTABLE}, {@code PORT_IN_USE}, {@code
   * CWD_MISSING}, {@code AGENT_START_FAILED}.
   */
  public String code() {
    return code;
  }
}
