/** Fault injection: the seed-determined plan of nemesis actions and its execution on the loop. */
@NullMarked
package dev.heddle.sim.internal.nemesis;

import org.jspecify.annotations.NullMarked;
