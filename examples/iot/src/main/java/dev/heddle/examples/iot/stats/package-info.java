/** The statistics service: collects device readings from Redis pub/sub and answers HTTP queries. */
@NullMarked
package dev.heddle.examples.iot.stats;

import org.jspecify.annotations.NullMarked;
