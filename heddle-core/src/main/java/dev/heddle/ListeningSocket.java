package dev.heddle;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A listening socket held by a host's agent. Pass it to {@link ProcessSpec.Builder#inherit} and the
 * process gets it at fd 3, 4, … with {@code LISTEN_FDS}, {@code LISTEN_PID} and {@code
 * LISTEN_FDNAMES} set (systemd's convention). Every restart of a service gets the same socket, so
 * clients wait in its backlog instead of being refused.
 *
 * @param host the label of the host it lives on
 * @param id the agent's id for it
 * @param name the name given to the process in {@code LISTEN_FDNAMES}
 * @param tcp the bound address for TCP sockets (with the port the kernel picked), else null
 * @param unix the path for unix sockets, else null
 */
public record ListeningSocket(
    String host, String id, String name, @Nullable InetSocketAddress tcp, @Nullable Path unix) {

  /** The bound TCP port. Throws for unix sockets. */
  public int port() {
    if (tcp == null) {
      throw new IllegalStateException("socket " + id + " is a unix socket at " + unix);
    }
    return tcp.getPort();
  }
}
