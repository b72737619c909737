package dev.heddle;

import java.util.Objects;

/**
 * Where a service can be reached, with the protocol it speaks there in the type: a start function
 * that needs an HTTP/2 peer takes an {@code Endpoint<Http2>}, and passing an {@code
 * Endpoint<Http1>} does not compile (seed 001's {@code D[HTTP2Url]}). Define a protocol of your own
 * by implementing {@link Protocol}.
 *
 * <pre>{@code
 * record Gateway(Endpoint<Http2> endpoint) {}
 * static Gateway startGateway(Scope scope, Host host, Endpoint<Http2> backend) { ... }
 * }</pre>
 *
 * @param protocol what it speaks
 * @param host the address to connect to (a name or literal address)
 * @param port the TCP port, 1–65535
 * @param <P> the protocol, checked by the compiler
 */
public record Endpoint<P extends Endpoint.Protocol>(P protocol, String host, int port) {

  /** A protocol a service speaks at an endpoint. */
  public interface Protocol {
    /** The URL scheme, e.g. {@code http}. */
    String scheme();
  }

  /** HTTP/1.1. */
  public static final class Http1 implements Protocol {
    /** The one instance. */
    public static final Http1 HTTP1 = new Http1();

    private Http1() {}

    @Override
    public String scheme() {
      return "http";
    }
  }

  /** HTTP/2 (cleartext, h2c, or over TLS: the type says the peer speaks HTTP/2). */
  public static final class Http2 implements Protocol {
    /** The one instance. */
    public static final Http2 HTTP2 = new Http2();

    private Http2() {}

    @Override
    public String scheme() {
      return "http";
    }
  }

  /** A TCP protocol of the service's own (a line protocol, say). */
  public static final class Tcp implements Protocol {
    /** The one instance. */
    public static final Tcp TCP = new Tcp();

    private Tcp() {}

    @Override
    public String scheme() {
      return "tcp";
    }
  }

  /**
   * @throws IllegalArgumentException when the host is empty or the port is not 1–65535
   */
  public Endpoint {
    Objects.requireNonNull(protocol, "protocol");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("an endpoint needs a host, got an empty string");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "an endpoint's port must be 1-65535, got " + port + " (for " + host + ")");
    }
  }

  /** An HTTP/1.1 endpoint. */
  public static Endpoint<Http1> http1(String host, int port) {
    return new Endpoint<>(Http1.HTTP1, host, port);
  }

  /** An HTTP/2 endpoint. */
  public static Endpoint<Http2> http2(String host, int port) {
    return new Endpoint<>(Http2.HTTP2, host, port);
  }

  /** A plain TCP endpoint. */
  public static Endpoint<Tcp> tcp(String host, int port) {
    return new Endpoint<>(Tcp.TCP, host, port);
  }

  /** {@code scheme://host:port} (IPv6 literals in brackets). */
  public String url() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return protocol.scheme() + "://" + h + ":" + port;
  }
}
