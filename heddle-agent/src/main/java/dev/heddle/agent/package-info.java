/**
 * The per-host agent's entry point. The agent's code lives in {@code dev.heddle.agent.internal}.
 */
@NullMarked
package dev.heddle.agent;

import org.jspecify.annotations.NullMarked;
