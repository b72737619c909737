package dev.heddle.examples.iot;

import dev.heddle.examples.iot.wire.DeviceTypes;
import dev.heddle.examples.iot.wire.Store;
import dev.heddle.examples.iot.wire.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The devices of the platform and who owns each: the device services register them in Redis, the
 * simulators play them.
 *
 * @param devices in a stable order
 */
public record Fleet(List<Fleet.Device> devices) {

  /**
   * One device.
   *
   * @param id its id (a {@link Store#ID})
   * @param type one of {@link DeviceTypes#ALL}
   * @param owner the user who owns it
   */
  public record Device(String id, String type, String owner) {
    public Device {
      if (!Store.ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "bad device id '" + id + "': want " + Store.ID.pattern());
      }
      if (!DeviceTypes.ALL.contains(type)) {
        throw new IllegalArgumentException(
            "device type must be one of " + DeviceTypes.ALL + ", not " + type);
      }
      if (!Tokens.USER.matcher(owner).matches()) {
        throw new IllegalArgumentException(
            "bad user id '" + owner + "': want " + Tokens.USER.pattern());
      }
    }
  }

  public Fleet {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one device");
    }
    if (devices.stream().map(Device::id).distinct().count() != devices.size()) {
      throw new IllegalArgumentException("device ids must be unique: " + devices);
    }
  }

  /** alice's lamp-1 and sousvide-1, bob's lamp-2. */
  public static Fleet demo() {
    return new Fleet(
        List.of(
            new Device("lamp-1", "lamp", "alice"),
            new Device("sousvide-1", "sousvide", "alice"),
            new Device("lamp-2", "lamp", "bob")));
  }

  /** Users u1..u{@code n}, each owning one lamp {@code lamp-uN} (the benchmark's fleet). */
  public static Fleet lamps(int n) {
    List<Device> devices = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      devices.add(new Device("lamp-u" + i, "lamp", "u" + i));
    }
    return new Fleet(devices);
  }

  /** The devices by type (types without devices left out), types in order. */
  public Map<String, List<Device>> byType() {
    Map<String, List<Device>> m = new TreeMap<>();
    for (Device d : devices) {
      m.computeIfAbsent(d.type(), t -> new ArrayList<>()).add(d);
    }
    return m;
  }

  /** The owners, sorted. */
  public List<String> users() {
    return devices.stream().map(Device::owner).distinct().sorted().toList();
  }
}
