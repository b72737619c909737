/**
 * The checkers that turn a history into Maelstrom's results: workload checkers (echo, unique-ids,
 * set-full, counter, linearizability, and the Elle-style list-append and rw-register checkers) and
 * the stats, availability and net checkers.
 */
@NullMarked
package dev.heddle.sim.internal.check;

import org.jspecify.annotations.NullMarked;
