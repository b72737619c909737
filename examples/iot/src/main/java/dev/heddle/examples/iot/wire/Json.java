package dev.heddle.examples.iot.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One shared Jackson mapper and a few helpers (Jackson's mapper is thread-safe once built). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Parses {@code text} as a JSON object.
   *
   * @throws IllegalArgumentException saying what is wrong, for bad JSON or a non-object
   */
  public static ObjectNode parseObject(String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "bad JSON: " + e.getOriginalMessage().lines().findFirst().orElse("?"), e);
    }
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("want a JSON object");
    }
    return o;
  }

  /**
   * {@code {k1: v1, k2: v2, …}} from alternating string keys and values (strings, numbers, nodes).
   */
  public static ObjectNode object(Object... keysAndValues) {
    ObjectNode o = MAPPER.createObjectNode();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      o.set(String.valueOf(keysAndValues[i]), MAPPER.valueToTree(keysAndValues[i + 1]));
    }
    return o;
  }
}
