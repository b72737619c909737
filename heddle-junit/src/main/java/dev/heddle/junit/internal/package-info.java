/** How {@code @HeddleTest} watches a test: its resources, the failure watch and the leak check. */
@NullMarked
package dev.heddle.junit.internal;

import org.jspecify.annotations.NullMarked;
