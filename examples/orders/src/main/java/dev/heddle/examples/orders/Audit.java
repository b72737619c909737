package dev.heddle.examples.orders;

import dev.heddle.Host;
import dev.heddle.ServiceHandle;
import java.nio.file.Path;

/**
 * A running audit sink (a small Python service): it appends every line it receives on {@code
 * socket} to {@code log}. orderd's optional dependency. Returned by {@link Orders#startAudit}.
 *
 * @param host where it runs
 * @param socket its unix socket
 * @param log the file it appends to
 * @param service its supervised service
 */
public record Audit(Host host, Path socket, Path log, ServiceHandle service) {}
