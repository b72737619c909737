/** The run's history: Jepsen ops from clients and the nemesis. */
@NullMarked
package dev.heddle.sim.internal.history;

import org.jspecify.annotations.NullMarked;
