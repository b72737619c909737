/**
 * The JUnit 6 extension: annotate a test class with {@link dev.heddle.junit.HeddleTest} and take a
 * {@link dev.heddle.Scope}, a {@link dev.heddle.Host} or a {@link java.nio.file.Path} as a
 * parameter.
 */
@NullMarked
package dev.heddle.junit;

import org.jspecify.annotations.NullMarked;
