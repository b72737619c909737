/** The client side of the agent protocol, and the {@code Host} backed by an agent. */
@NullMarked
package dev.heddle.internal.agent;

import org.jspecify.annotations.NullMarked;
