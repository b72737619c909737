/**
 * The order-entry system of seed 000 as one Java program: the start functions ({@link
 * dev.heddle.examples.orders.Orders}), the handles they return, and {@code main} ({@link
 * dev.heddle.examples.orders.OrdersMain}, run by {@code bin/orders}).
 */
@NullMarked
package dev.heddle.examples.orders;

import org.jspecify.annotations.NullMarked;
