/**
 * The simulated network: endpoints, messages, latency, faults and the counters the report shows.
 */
@NullMarked
package dev.heddle.sim.internal.net;

import org.jspecify.annotations.NullMarked;
