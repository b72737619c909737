package dev.heddle.components;

import dev.heddle.Command;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Starts Debian's Mosquitto MQTT broker: {@link #start(Scope, Host, Path)} returns an {@link Mqtt}.
 */
public final class Mosquitto {

  /** Where Debian's package {@code mosquitto} puts the broker. */
  public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private Mosquitto() {}

  /** {@link #start(Scope, Host, Path, Path)} with Debian's {@link #BINARY}. */
  public static Mqtt start(Scope scope, Host host, Path dataDir) throws InterruptedException {
    return start(scope, host, dataDir, BINARY);
  }

  /**
   * Starts {@code binary} as service {@code mosquitto} on {@code host} on a free port of 127.0.0.1,
   * with a configuration file it writes to {@code dataDir/mosquitto.conf}: anonymous clients, and
   * TCP_NODELAY on client sockets, persistence in {@code dataDir} saved after every change (so
   * retained messages and durable sessions survive a crash, except a change in the moment before
   * it). As root, Mosquitto drops to its OS user {@code mosquitto} when there is one, which then
   * owns {@code dataDir}. Always restarted on the same port and directory. Blocks until an MQTT
   * CONNECT is answered with a CONNACK that accepts it. The port is picked on this JVM's machine,
   * so {@code host} must be the local host.
   *
   * @throws HeddleException with code {@code COMPONENT} when the binary is missing or {@code
   *     dataDir} cannot be made or written; {@code NOT_READY} when it does not answer
   */
  public static Mqtt start(Scope scope, Host host, Path dataDir, Path binary)
      throws InterruptedException {
    HostChecks.requireBinary(host, "mosquitto", binary, "mosquitto");
    Optional<String> user =
        HostChecks.runsAsRoot(host, "mosquitto")
                && HostChecks.userExists(host, "mosquitto", "mosquitto")
            ? Optional.of("mosquitto")
            : Optional.empty();
    Path dir = dataDir.toAbsolutePath();
    HostChecks.prepareDataDir(host, "mosquitto", dir, user);
    int port = HostChecks.freeLoopbackPort();
    Path config = dir.resolve("mosquitto.conf");
    String text =
        "# written by Heddle's Mosquitto.start; rewritten at each start\n"
            + "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            + "persistence true\n"
            + "persistence_location "
            + dir
            + "/\n"
            + "autosave_on_changes true\n"
            + "autosave_interval 1\n"
            // without it a small message can wait for a delayed ACK (40 ms on Linux) at each hop
            + "set_tcp_nodelay true\n";
    HostChecks.Result written =
        HostChecks.run(
            host,
            "mosquitto-config",
            Command.of("sh", "-c", "printf '%s' \"$2\" > \"$1\"", "sh", config.toString(), text));
    if (!written.ok()) {
      throw new HeddleException(
          host.name(),
          "mosquitto",
          HostChecks.CODE,
          "Cannot write "
              + config
              + " on "
              + host.name()
              + " ("
              + written.status()
              + "):\n    "
              + String.join("\n    ", written.stderr()));
    }
    ServiceHandle service =
        scope.supervise(
            Service.named("mosquitto")
                .on(host)
                .command(Command.of(binary.toString(), "-c", config.toString()).cwd(dir))
                .restart(RestartPolicy.permanent())
                .readyWhen(
                    Readiness.probe(
                        "an MQTT CONNECT to 127.0.0.1:" + port + " to be accepted (CONNACK 0)",
                        HostChecks.READY_LIMIT,
                        () -> connects("127.0.0.1", port))));
    return new Mqtt(host, "127.0.0.1", port, dir, service);
  }

  /** An MQTT 3.1.1 CONNECT: clean session, keep-alive 60 s, client id {@code heddle-ready}. */
  private static final byte[] CONNECT = {
    0x10, 24, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 12, 'h', 'e', 'd', 'd', 'l', 'e', '-',
    'r', 'e', 'a', 'd', 'y'
  };

  /** CONNACK: no session present, return code 0 (accepted). */
  private static final byte[] CONNACK = {0x20, 2, 0, 0};

  private static final byte[] DISCONNECT = {(byte) 0xE0, 0};

  /** Whether a broker on {@code address:port} accepts an MQTT CONNECT. */
  static boolean connects(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write(CONNECT);
      InputStream in = s.getInputStream();
      byte[] got = in.readNBytes(CONNACK.length);
      boolean accepted = Arrays.equals(CONNACK, got);
      if (accepted) {
        out.write(DISCONNECT);
      }
      return accepted;
    } catch (IOException notYet) {
      return false; // not listening yet, or gone: poll again
    }
  }
}
