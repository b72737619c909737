package dev.heddle.examples.orders;

import dev.heddle.Host;
import dev.heddle.ServiceHandle;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A running orderd: the address clients connect to (the listening socket its workers share) and its
 * workers. Returned by {@link Orders#startOrderd} once every worker accepts.
 *
 * @param host where it runs
 * @param address where it listens
 * @param workers one supervised service per worker process ({@code orderd-1}, {@code orderd-2}, …)
 */
public record Orderd(Host host, InetSocketAddress address, List<ServiceHandle> workers) {
  public Orderd {
    workers = List.copyOf(workers);
  }
}
