package dev.heddle.examples.iot.device;

import dev.heddle.examples.iot.wire.Args;
import dev.heddle.examples.iot.wire.DeviceTypes;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Mqtt;
import dev.heddle.examples.iot.wire.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Simulated devices: {@code DeviceMain --mqtt URI --devices ID:TYPE,… [--report-ms N]}, each its
 * own MQTT client ({@code device-ID}). A device takes targets from {@code dev/ID/target} (retained,
 * QoS 1), applies a newer version at once and reports it on {@code dev/ID/state} (QoS 1), and
 * reports a reading every {@code --report-ms} (QoS 0). Prints {@code devices ready}. It keeps no
 * state on disk: after a restart the retained target brings it back.
 */
public final class DeviceMain {
  private DeviceMain() {}

  private record Event(SimDevice device, String payload) {}

  public static void main(String[] args) throws Exception {
    Args a;
    List<SimDevice> devices = new ArrayList<>();
    try {
      a = Args.parse(args, List.of("--mqtt", "--devices"), List.of("--report-ms"));
      for (String d : a.get("--devices").split(",", -1)) {
        String[] p = d.split(":", 2);
        if (p.length != 2 || !Store.ID.matcher(p[0]).matches() || !DeviceTypes.ALL.contains(p[1])) {
          throw new IllegalArgumentException(
              "--devices wants ID:TYPE,… with TYPE one of "
                  + DeviceTypes.ALL
                  + ", not '"
                  + d
                  + "'");
        }
        devices.add(new SimDevice(p[0], p[1]));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("devices: " + e.getMessage());
      System.exit(2);
      return;
    }
    long period = a.integer("--report-ms", 1000);
    BlockingQueue<Event> commands = new LinkedBlockingQueue<>();
    List<Mqtt> clients = new ArrayList<>();
    for (SimDevice d : devices) {
      clients.add(
          Mqtt.connect(
              a.get("--mqtt"),
              "device-" + d.id,
              List.of("dev/" + d.id + "/target"),
              () -> {},
              (topic, payload) -> commands.add(new Event(d, payload))));
    }
    Thread.ofVirtual()
        .name("devices/readings")
        .start(
            () -> {
              while (true) {
                try {
                  Thread.sleep(period);
                } catch (InterruptedException e) {
                  return;
                }
                for (SimDevice d : devices) {
                  commands.add(new Event(d, ""));
                }
              }
            });
    System.out.println("devices ready: " + devices.stream().map(d -> d.id).toList());
    System.out.flush();
    while (true) {
      Event e = commands.take();
      SimDevice d = e.device();
      Mqtt client = clients.get(devices.indexOf(d));
      try {
        if (e.payload().isEmpty()) {
          d.step();
          client.publish("dev/" + d.id + "/state", d.report().toString(), 0, false);
        } else if (d.apply(Json.parseObject(e.payload()))) {
          System.out.println(d.id + " applied " + e.payload());
          client.publish("dev/" + d.id + "/state", d.report().toString(), 1, false);
        }
      } catch (MqttException | IllegalArgumentException ex) {
        // a report lost while the broker is away: the next reading (or the resent target) follows
        System.err.println("devices: " + d.id + ": " + ex.getMessage());
      }
    }
  }
}
