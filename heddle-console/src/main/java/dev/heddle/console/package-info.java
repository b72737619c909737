/** The {@code heddle} command line. */
@NullMarked
package dev.heddle.console;

import org.jspecify.annotations.NullMarked;
