package dev.heddle.examples.iot.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Json;

/**
 * One simulated device's state: the last target it applied (and its version) and, for a sous-vide,
 * the water temperature, which moves a tenth of the way to the target (or to 20 °C when off) at
 * each reading. Used from one thread.
 */
final class SimDevice {
  final String id;
  final String type;
  private long version;
  private boolean on;
  private int brightness = 100;
  private double temp = 56;
  private double water = 20;

  SimDevice(String id, String type) {
    this.id = id;
    this.type = type;
  }

  /**
   * Applies {@code {"version","target"}} when its version is newer; returns whether the device
   * should report (a newer or the same version: a repeat means the report may have been lost).
   */
  boolean apply(JsonNode command) {
    long v = command.path("version").asLong(0);
    if (v <= version) {
      return v == version;
    }
    JsonNode t = command.path("target");
    version = v;
    on = t.path("on").asBoolean(false);
    brightness = t.path("brightness").asInt(brightness);
    temp = t.path("temp").asDouble(temp);
    return true;
  }

  /** One time step: the water heats or cools. */
  void step() {
    double goal = on ? temp : 20;
    water += (goal - water) / 10;
  }

  /** The report: {@code {"version", …fields}}. */
  ObjectNode report() {
    return switch (type) {
      case "lamp" -> Json.object("version", version, "on", on, "brightness", brightness);
      default ->
          Json.object(
              "version", version, "on", on, "temp", temp, "water", Math.round(water * 10) / 10.0);
    };
  }
}
