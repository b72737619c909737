package dev.heddle.components;

import dev.heddle.Host;
import dev.heddle.ServiceHandle;
import java.nio.file.Path;

/**
 * An MQTT broker started by {@link Mosquitto#start}.
 *
 * @param host where it runs
 * @param address the address it listens on (always {@code 127.0.0.1})
 * @param port its TCP port (MQTT, no TLS)
 * @param dataDir its directory: {@code mosquitto.conf} and the persistence file {@code
 *     mosquitto.db}
 * @param service its supervised service
 */
public record Mqtt(Host host, String address, int port, Path dataDir, ServiceHandle service) {

  /** The broker's address as MQTT clients write it: {@code tcp://127.0.0.1:PORT}. */
  public String uri() {
    return "tcp://" + address + ":" + port;
  }
}
