/** The iot benchmark (bench/iot). */
@NullMarked
package dev.heddle.examples.iot.bench;

import org.jspecify.annotations.NullMarked;
