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
 */
public record Positiond(Host host, Path socket, Path workdir, ServiceHandle service) {}
