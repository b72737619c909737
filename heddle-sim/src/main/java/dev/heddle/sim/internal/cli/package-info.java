/**
 * The {@code heddle sim} command line (picocli): options, defaults and exit codes as Maelstrom's.
 */
@NullMarked
package dev.heddle.sim.internal.cli;

import org.jspecify.annotations.NullMarked;
