/**
 * Clients of orderd's line protocol for tests and the benchmark: {@link
 * dev.heddle.examples.orders.client.Client} (one connection) and {@link
 * dev.heddle.examples.orders.client.Load} (many clients sending orders, reconnecting, counting
 * refused connections, then checking every acknowledged order and every position).
 */
@NullMarked
package dev.heddle.examples.orders.client;

import org.jspecify.annotations.NullMarked;
