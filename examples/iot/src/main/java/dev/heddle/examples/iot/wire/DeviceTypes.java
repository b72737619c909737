package dev.heddle.examples.iot.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The device types and what a target of each must look like. A target is always a whole desired
 * state (not a patch), so applying the last one is all a device has to do.
 *
 * <ul>
 *   <li>{@code lamp}: {@code {"on": boolean, "brightness": 0..100}} (brightness optional, 100);
 *   <li>{@code sousvide}: {@code {"on": boolean, "temp": 20..95}} (°C, required).
 * </ul>
 */
public final class DeviceTypes {
  public static final List<String> ALL = List.of("lamp", "sousvide");

  private DeviceTypes() {}

  /**
   * {@code target} checked against {@code type} and normalized (defaults filled in).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static ObjectNode validate(String type, JsonNode target) {
    if (!(target instanceof ObjectNode t)) {
      throw new IllegalArgumentException("target must be a JSON object");
    }
    JsonNode on = t.get("on");
    if (on == null || !on.isBoolean()) {
      throw new IllegalArgumentException("target.on must be true or false");
    }
    return switch (type) {
      case "lamp" -> {
        only(t, Set.of("on", "brightness"));
        int brightness = integer(t, "brightness", 100, 0, 100);
        yield Json.object("on", on.booleanValue(), "brightness", brightness);
      }
      case "sousvide" -> {
        only(t, Set.of("on", "temp"));
        JsonNode temp = t.get("temp");
        if (temp == null
            || !temp.isNumber()
            || temp.doubleValue() < 20
            || temp.doubleValue() > 95) {
          throw new IllegalArgumentException("target.temp must be a number from 20 to 95 (°C)");
        }
        yield Json.object("on", on.booleanValue(), "temp", temp.doubleValue());
      }
      default -> throw new IllegalArgumentException("unknown device type " + type);
    };
  }

  private static void only(ObjectNode t, Set<String> fields) {
    for (Map.Entry<String, JsonNode> e : t.properties()) {
      String f = e.getKey();
      if (!fields.contains(f)) {
        throw new IllegalArgumentException("unknown field target." + f + "; want " + fields);
      }
    }
  }

  private static int integer(ObjectNode t, String field, int fallback, int min, int max) {
    JsonNode v = t.get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isInt() || v.intValue() < min || v.intValue() > max) {
      throw new IllegalArgumentException(
          "target." + field + " must be an integer from " + min + " to " + max);
    }
    return v.intValue();
  }
}
