/**
 * Simulated clients and the driver that generates a workload's operations and records them in the
 * history.
 */
@NullMarked
package dev.heddle.sim.internal.client;

import org.jspecify.annotations.NullMarked;
