package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;

/** Builds small histories for checker tests; times are in milliseconds. */
final class History {
  private final dev.heddle.sim.internal.history.History h =
      new dev.heddle.sim.internal.history.History();

  History op(int process, String type, String f, String value, long millis) {
    return op(process, type, f, value, millis, false);
  }

  History op(int process, String type, String f, String value, long millis, boolean isFinal) {
    JsonNode v = value == null ? null : read(value);
    h.append(
        Op.Type.valueOf(type.toUpperCase(java.util.Locale.ROOT)),
        f,
        v,
        process,
        millis * 1_000_000,
        null,
        isFinal,
        null);
    return this;
  }

  List<Op> ops() {
    return new ArrayList<>(h.ops());
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
