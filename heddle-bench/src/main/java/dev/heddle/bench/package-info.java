/** Benchmarks run by hand with {@code bench/agent}; never part of the test suite. */
@NullMarked
package dev.heddle.bench;

import org.jspecify.annotations.NullMarked;
