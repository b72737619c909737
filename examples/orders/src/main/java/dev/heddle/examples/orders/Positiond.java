package dev.heddle.examples.orders;

import dev.heddle.Host;
import dev.heddle.ServiceHandle;
import java.nio.file.Path;

/**
 * A running positiond: what its dependants need to reach it. Returned by {@link
 * Orders#startPositiond} once it answers.
 *
 * @param host where it runs
 * @param socket its unix socket, on that host
 * @param workdir where it keeps its data
 * @param service its supervised service (current incarnation, events)
 * @param tcp where it also answers over TCP (for an orderd on another host), if anywhere
 */
public record Positiond(
    Host host,
    Path socket,
    Path workdir,
    ServiceHandle service,
    java.util.Optional<java.net.InetSocketAddress> tcp) {

  /** How orderd on {@code orderdHost} reaches it: the unix socket on its own host, else TCP. */
  String addressFor(Host orderdHost) {
    if (orderdHost.name().equals(host.name())) {
      return socket.toString();
    }
    java.net.InetSocketAddress a =
        tcp.orElseThrow(
            () ->
                new IllegalArgumentException(
                    "positiond is on host '"
                        + host.name()
                        + "', orderd on '"
                        + orderdHost.name()
                        + "': start positiond with a TCP listening socket"
                        + " (Orders.startPositiond(scope, host, workdir, socket))"));
    return "tcp:" + a.getHostString() + ":" + a.getPort();
  }
}
