/**
 * The simulator's implementation, and what every part of it shares: the JSON mapper and the record
 * of node misbehaviour.
 */
@NullMarked
package dev.heddle.sim.internal;

import org.jspecify.annotations.NullMarked;
