/**
 * A device service: bridges one device type between Redis (desired state, commands) and MQTT (the
 * devices).
 */
@NullMarked
package dev.heddle.examples.iot.bridge;

import org.jspecify.annotations.NullMarked;
