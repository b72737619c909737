/** Maven coordinates as artifacts for {@code Host.deploy}, resolved by Maven Resolver. */
@NullMarked
package dev.heddle.maven;

import org.jspecify.annotations.NullMarked;
