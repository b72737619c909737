/** Maelstrom's built-in services: lin-kv, seq-kv, lww-kv and lin-tso. */
@NullMarked
package dev.heddle.sim.internal.service;

import org.jspecify.annotations.NullMarked;
