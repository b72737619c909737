/**
 * The agent protocol: length-prefixed frames carrying a version, a kind, a request id, a type name
 * and a body of self-describing values. Shared by the agent and its clients; not a public API.
 */
@NullMarked
package dev.heddle.agent.internal.protocol;

import org.jspecify.annotations.NullMarked;
