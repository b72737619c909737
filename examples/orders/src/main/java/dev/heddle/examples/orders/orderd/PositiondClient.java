package dev.heddle.examples.orders.orderd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * orderd's connection to positiond (one per orderd process, used under the engine's lock, so not
 * thread-safe). Every request it sends is idempotent, so when the connection breaks it reconnects
 * and sends the request again, for at most {@code patience}: a positiond restart (a few hundred ms)
 * becomes latency, not an error; a longer outage, or a positiond that does not answer (stopped,
 * hung), becomes {@link Unavailable}. A request is abandoned only by closing its connection, which
 * positiond notices before handling it (see PositiondMain), so an abandoned request never lands
 * after its replacement.
 */
final class PositiondClient implements AutoCloseable {
  /** positiond did not answer within the patience. */
  static final class Unavailable extends Exception {
    Unavailable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("positiond-watchdog").unstarted(r));

  private final SocketAddress address;
  private final Duration patience;
  private @Nullable SocketChannel channel;
  private @Nullable BufferedReader in;

  /**
   * @param target positiond's unix socket path, or {@code tcp:HOST:PORT} when it runs on another
   *     host
   */
  PositiondClient(String target, Duration patience) {
    this.address = address(target);
    this.patience = patience;
  }

  static SocketAddress address(String target) {
    if (!target.startsWith("tcp:")) {
      return UnixDomainSocketAddress.of(Path.of(target));
    }
    String hostPort = target.substring(4);
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "--positiond tcp:HOST:PORT needs a host and a port, got '" + target + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--positiond " + target + ": bad port", e);
    }
    return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
  }

  /**
   * Sends one request line and returns the reply line. Blocks, retrying for at most the patience.
   *
   * @throws Unavailable when positiond did not answer in time
   */
  String call(String request) throws Unavailable, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    IOException last = null;
    while (true) {
      try {
        SocketChannel ch = channel;
        BufferedReader r = in;
        if (ch == null || r == null) {
          ch =
              address instanceof InetSocketAddress
                  ? SocketChannel.open(StandardProtocolFamily.INET)
                  : SocketChannel.open(StandardProtocolFamily.UNIX);
          try {
            ch.connect(
                address instanceof InetSocketAddress inet && inet.isUnresolved()
                    ? new InetSocketAddress(inet.getHostString(), inet.getPort())
                    : address);
          } catch (IOException e) {
            ch.close();
            throw e;
          }
          r =
              new BufferedReader(
                  new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
          channel = ch;
          in = r;
        }
        long left = Math.max(1, deadline - System.nanoTime());
        SocketChannel doomed = ch;
        ScheduledFuture<?> timeout =
            WATCHDOG.schedule(() -> closeQuietly(doomed), left, TimeUnit.NANOSECONDS);
        String reply;
        try {
          ByteBuffer bytes = StandardCharsets.UTF_8.encode(request + "\n");
          while (bytes.hasRemaining()) {
            ch.write(bytes);
          }
          reply = r.readLine();
        } finally {
          timeout.cancel(false);
        }
        if (reply == null) {
          throw new IOException("positiond closed the connection");
        }
        return reply;
      } catch (IOException e) {
        last = e;
        close();
      }
      if (System.nanoTime() > deadline) {
        throw new Unavailable(
            "positiond at " + address + " did not answer within " + patience + ": " + last, last);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    SocketChannel ch = channel;
    channel = null;
    in = null;
    if (ch != null) {
      closeQuietly(ch);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // already broken
    }
  }
}
