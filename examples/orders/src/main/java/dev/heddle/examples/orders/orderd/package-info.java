/**
 * orderd, a separate process: accepts orders on the listening socket it inherits at fd 3, commits
 * each accepted order to SQLite before acknowledging it, and keeps positiond up to date. Depends on
 * the JDK and sqlite-jdbc only (never on Heddle).
 */
@NullMarked
package dev.heddle.examples.orders.orderd;

import org.jspecify.annotations.NullMarked;
