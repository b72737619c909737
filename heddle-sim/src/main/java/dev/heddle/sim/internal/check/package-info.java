/**
 * The checkers that turn a history into Maelstrom's results: workload checkers (echo, unique-ids,
 * set-full, counter) and the stats, availability and net checkers.
 */
@NullMarked
package dev.heddle.sim.internal.check;

import org.jspecify.annotations.NullMarked;
