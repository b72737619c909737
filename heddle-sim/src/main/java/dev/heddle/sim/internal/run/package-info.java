/**
 * One test from start to finish: the store directory, the run log, init, the phases and teardown.
 */
@NullMarked
package dev.heddle.sim.internal.run;

import org.jspecify.annotations.NullMarked;
