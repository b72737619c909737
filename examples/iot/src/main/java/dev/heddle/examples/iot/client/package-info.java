/** A client of the WebSocket API and of the auth service, for tests and the benchmark. */
@NullMarked
package dev.heddle.examples.iot.client;

import org.jspecify.annotations.NullMarked;
