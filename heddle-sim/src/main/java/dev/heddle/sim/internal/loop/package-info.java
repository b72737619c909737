/** The single event loop thread that owns all simulation state. */
@NullMarked
package dev.heddle.sim.internal.loop;

import org.jspecify.annotations.NullMarked;
