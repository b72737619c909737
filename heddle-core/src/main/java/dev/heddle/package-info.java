/**
 * Heddle's public API: hosts, commands, listening sockets, processes and their exit statuses.
 * Everything under {@code dev.heddle.internal} may change without notice.
 */
@NullMarked
package dev.heddle;

import org.jspecify.annotations.NullMarked;
