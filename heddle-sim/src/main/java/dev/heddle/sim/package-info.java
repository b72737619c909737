/**
 * The Maelstrom-compatible simulator's public API: {@link dev.heddle.sim.Simulator} runs one test
 * of a node program described by a {@link dev.heddle.sim.SimConfig} and returns a {@link
 * dev.heddle.sim.SimOutcome}; {@link dev.heddle.sim.SimMain} is the command line. Everything under
 * {@code dev.heddle.sim.internal} may change without notice.
 */
@NullMarked
package dev.heddle.sim;

import org.jspecify.annotations.NullMarked;
