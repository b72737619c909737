/**
 * The device-management worker: a WebSocket API for users; N workers share one listening socket and
 * meet through Redis pub/sub.
 */
@NullMarked
package dev.heddle.examples.iot.api;

import org.jspecify.annotations.NullMarked;
