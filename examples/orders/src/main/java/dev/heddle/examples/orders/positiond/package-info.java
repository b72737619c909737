/**
 * positiond, a separate process: net positions per symbol, kept in an append-only log under its
 * work directory and served on a unix socket there. Depends on the JDK only.
 */
@NullMarked
package dev.heddle.examples.orders.positiond;

import org.jspecify.annotations.NullMarked;
