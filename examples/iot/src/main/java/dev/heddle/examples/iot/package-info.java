/**
 * Seed 003's IoT platform as one Java program: the start functions ({@link
 * dev.heddle.examples.iot.Iot}), the handles they return, and {@code main} ({@link
 * dev.heddle.examples.iot.IotMain}, run by {@code bin/iot}).
 */
@NullMarked
package dev.heddle.examples.iot;

import org.jspecify.annotations.NullMarked;
