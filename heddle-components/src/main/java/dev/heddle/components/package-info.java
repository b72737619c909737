/**
 * Start functions for real infrastructure, one small file per component: {@link
 * dev.heddle.components.Redis}, {@link dev.heddle.components.Postgres} and {@link
 * dev.heddle.components.Mosquitto} (which returns {@link dev.heddle.components.Mqtt}). Each runs
 * the host's Debian binary under supervision in a scope, returns only once the server answers its
 * own protocol, and keeps its data in a directory the caller names, so a restart (or the next run)
 * finds it again.
 */
@NullMarked
package dev.heddle.components;

import org.jspecify.annotations.NullMarked;
