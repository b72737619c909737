package dev.heddle.sim.internal.workload;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * An operation the generator wants a client to perform.
 *
 * @param f the function, for example {@code read}
 * @param value its argument, or null
 * @param isFinal whether it is a final-phase op
 */
public record OpSpec(String f, @Nullable JsonNode value, boolean isFinal) {}
