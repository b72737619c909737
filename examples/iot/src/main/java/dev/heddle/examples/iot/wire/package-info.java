/**
 * What every iot service shares: signed tokens, the Redis (RESP) client, a minimal HTTP/1.1 reader,
 * the RFC 6455 WebSocket codec, the inherited listening socket, JSON and arguments.
 */
@NullMarked
package dev.heddle.examples.iot.wire;

import org.jspecify.annotations.NullMarked;
