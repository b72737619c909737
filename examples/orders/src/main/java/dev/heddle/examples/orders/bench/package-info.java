/** The orders benchmark ({@code bench/orders}): throughput, and kill -9s of orderd under load. */
@NullMarked
package dev.heddle.examples.orders.bench;

import org.jspecify.annotations.NullMarked;
