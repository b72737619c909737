package dev.heddle.sim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** The simulator's one JSON mapper and a few helpers. Thread-safe. */
public final class Json {
  /** The shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Returns a new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Serializes a node to a compact JSON string. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serializes a node to a pretty-printed JSON string. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a form of a value that compares equal to any other JSON spelling of the same number:
   * integral numbers become longs.
   */
  public static JsonNode canonical(JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return LongNode.valueOf(value.longValue());
    }
    return value;
  }

  /** Returns the text of a field that must be a string, or null when it is missing or not one. */
  public static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
