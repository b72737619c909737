/**
 * Node programs as OS processes: starting them (only {@link
 * dev.heddle.sim.internal.node.NodeLauncher} uses {@code ProcessBuilder}), Maelstrom's
 * line-per-message wire format on their stdin and stdout, their stderr logs, and killing, pausing
 * and restarting them for the nemesis.
 */
@NullMarked
package dev.heddle.sim.internal.node;

import org.jspecify.annotations.NullMarked;
