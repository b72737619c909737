package dev.heddle;

import java.nio.file.Path;
import java.util.Objects;

/** Where a listening socket should listen. The host's agent creates and keeps the socket. */
public sealed interface SocketSpec {

  /**
   * TCP on {@code host} (an address or a name the host resolves) and {@code port}; 0 = pick one.
   */
  static Tcp tcp(String host, int port) {
    return new Tcp(host, port);
  }

  /** A unix stream socket at {@code path} on the host. */
  static Unix unix(Path path) {
    return new Unix(path);
  }

  /** A TCP listening address. */
  record Tcp(String host, int port) implements SocketSpec {
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "port must be 0..65535 (0 = any free port), got " + port);
      }
    }
  }

  /** A unix socket path. */
  record Unix(Path path) implements SocketSpec {
    public Unix {
      Objects.requireNonNull(path, "path");
    }
  }
}
