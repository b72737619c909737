/** Simulated devices (lamp, sous-vide) that speak MQTT and report their state. */
@NullMarked
package dev.heddle.examples.iot.device;

import org.jspecify.annotations.NullMarked;
