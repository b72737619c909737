package dev.heddle.examples.iot.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The few bits of HTTP/1.1 the services need: read one request (bounded: 8 KiB of head, 64 KiB of
 * body), write one response and close. No keep-alive, no chunked bodies.
 */
public final class Http {
  static final int MAX_HEAD = 8192;
  static final int MAX_BODY = 65536;

  private Http() {}

  /**
   * One request.
   *
   * @param method e.g. {@code GET}
   * @param path the path without the query
   * @param query the decoded query parameters (the last of repeated ones)
   * @param headers header names in lower case
   * @param body the body ({@code Content-Length} bytes)
   */
  @SuppressWarnings("ArrayRecordComponent") // the body, owned by the one handler of the request
  public record Request(
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {

    /** A header, by lower-case name. */
    public @Nullable String header(String name) {
      return headers.get(name);
    }

    /** The token from {@code Authorization: Bearer T}, else from the query's {@code token}. */
    public @Nullable String bearer() {
      String auth = header("authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return auth.substring(7).strip();
      }
      return query.get("token");
    }
  }

  /** A request that cannot be served; {@code status} is the HTTP status to answer with. */
  public static final class BadRequest extends IOException {
    private final int status;

    public BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Reads one request's head and body.
   *
   * @throws BadRequest for a malformed or too large request
   * @throws IOException when the connection fails or ends first
   */
  public static Request read(InputStream in) throws IOException {
    String requestLine = line(in, new int[] {0});
    int[] used = {requestLine.length()};
    String[] parts = requestLine.split(" ", 4);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest(400, "malformed request line");
    }
    Map<String, String> headers = new HashMap<>();
    while (true) {
      String h = line(in, used);
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest(400, "malformed header line");
      }
      headers.put(
          h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    int length = 0;
    String cl = headers.get("content-length");
    if (cl != null) {
      try {
        length = Integer.parseInt(cl);
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "bad Content-Length");
      }
      if (length < 0 || length > MAX_BODY) {
        throw new BadRequest(413, "body larger than " + MAX_BODY + " bytes");
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed inside the body");
    }
    String target = parts[1];
    int q = target.indexOf('?');
    Map<String, String> query = new HashMap<>();
    if (q >= 0) {
      for (String kv : target.substring(q + 1).split("&", -1)) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          query.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
        }
      }
    }
    return new Request(parts[0], q >= 0 ? target.substring(0, q) : target, query, headers, body);
  }

  private static String decode(String s) throws BadRequest {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "bad query encoding");
    }
  }

  private static String line(InputStream in, int[] used) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed inside the request head");
      }
      if (++used[0] > MAX_HEAD) {
        throw new BadRequest(431, "request head larger than " + MAX_HEAD + " bytes");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** Writes a complete response with a JSON (or text) body and {@code Connection: close}. */
  public static void respond(OutputStream out, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }

  /** {@link #respond} with {@code {"error": message}}. */
  public static void error(OutputStream out, int status, String message) throws IOException {
    respond(out, status, "application/json", Json.object("error", message).toString());
  }

  private static String reason(int status) {
    return switch (status) {
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 426 -> "Upgrade Required";
      case 431 -> "Request Header Fields Too Large";
      default -> "Status " + status;
    };
  }
}
