/** The agent's request handling: connections, the process table, stopping, logs, probes, state. */
@NullMarked
package dev.heddle.agent.internal.server;

import org.jspecify.annotations.NullMarked;
