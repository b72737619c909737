/**
 * The live console of a running system: {@link dev.heddle.console.live.Console} serves the control
 * API (JSON, server-sent events, actions) and the dashboard on loopback, token-protected.
 */
@NullMarked
package dev.heddle.console.live;

import org.jspecify.annotations.NullMarked;
