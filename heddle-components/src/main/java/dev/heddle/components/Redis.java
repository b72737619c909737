package dev.heddle.components;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Redis server started by {@link #start}: Debian's {@code redis-server}, its append-only file in
 * a data directory that outlives its restarts.
 *
 * @param host where it runs
 * @param address the address it listens on (always {@code 127.0.0.1})
 * @param port its TCP port
 * @param dataDir its directory ({@code appendonlydir/}, {@code dump.rdb})
 * @param service its supervised service
 */
public record Redis(Host host, String address, int port, Path dataDir, ServiceHandle service) {

  /** Where Debian's package {@code redis-server} puts the server. */
  public static final Path BINARY = Path.of("/usr/bin/redis-server");

  /** {@link #start(Scope, Host, Path, Path)} with Debian's {@link #BINARY}. */
  public static Redis start(Scope scope, Host host, Path dataDir) throws InterruptedException {
    return start(scope, host, dataDir, BINARY);
  }

  /**
   * Starts {@code binary} as service {@code redis} on {@code host} on a free port of 127.0.0.1,
   * with no configuration file: {@code --dir dataDir --appendonly yes --daemonize no}. Always
   * restarted, on the same port and directory, so every acknowledged write survives a crash. Blocks
   * until it answers {@code PING} with {@code +PONG}. The port is picked on this JVM's machine, so
   * {@code host} must be the local host.
   *
   * @throws dev.heddle.HeddleException with code {@code COMPONENT} when the binary is missing or
   *     {@code dataDir} cannot be made or written; {@code NOT_READY} when it does not answer
   */
  public static Redis start(Scope scope, Host host, Path dataDir, Path binary)
      throws InterruptedException {
    return start(scope, host, dataDir, binary, List.of());
  }

  /**
   * {@link #start(Scope, Host, Path, Path)} with {@code extraArgs} added to the server's command
   * line after Heddle's own, e.g. {@code List.of("--appendfsync", "always")} to fsync the
   * append-only file before every reply (Redis' default fsyncs once a second). Never put secrets
   * there: a process's arguments are visible to every user of its host.
   */
  public static Redis start(
      Scope scope, Host host, Path dataDir, Path binary, List<String> extraArgs)
      throws InterruptedException {
    HostChecks.requireBinary(host, "redis", binary, "redis-server");
    Path dir = dataDir.toAbsolutePath();
    HostChecks.prepareDataDir(host, "redis", dir, Optional.empty());
    int port = HostChecks.freeLoopbackPort();
    Command command =
        Command.of(binary.toString())
            .args(
                "--port",
                port,
                "--bind",
                "127.0.0.1",
                "--dir",
                dir,
                "--appendonly",
                "yes",
                "--daemonize",
                "no")
            .args(extraArgs.toArray())
            .cwd(dir);
    ServiceHandle service =
        scope.supervise(
            Service.named("redis")
                .on(host)
                .command(command)
                .restart(RestartPolicy.permanent())
                .readyWhen(
                    Readiness.probe(
                        "redis on 127.0.0.1:" + port + " to answer PING with +PONG",
                        HostChecks.READY_LIMIT,
                        () -> pongs("127.0.0.1", port))));
    return new Redis(host, "127.0.0.1", port, dir, service);
  }

  /** Whether a Redis server on {@code address:port} answers {@code PING} with {@code +PONG}. */
  static boolean pongs(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 200);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] want = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] got = new byte[want.length];
      InputStream in = s.getInputStream();
      int n = 0;
      while (n < got.length) {
        int r = in.read(got, n, got.length - n);
        if (r < 0) {
          return false;
        }
        n += r;
      }
      return Arrays.equals(want, got);
    } catch (IOException notYet) {
      return false; // not listening yet, or loading its data (-LOADING), or gone: poll again
    }
  }
}
