/**
 * Maelstrom's workloads: what clients ask, how requests and replies look, and which checker
 * applies.
 */
@NullMarked
package dev.heddle.sim.internal.workload;

import org.jspecify.annotations.NullMarked;
