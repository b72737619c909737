package dev.heddle.examples.iot.wire;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A Redis client that outlives Redis restarts: {@link #call} on one shared connection (one command
 * at a time; a broken connection is dropped and the next call makes a new one), and {@link
 * #subscribe} on a thread of its own that resubscribes after every failure. Thread-safe.
 */
public final class Redis implements AutoCloseable {
  private final String host;
  private final int port;
  private @Nullable Resp conn;
  private volatile boolean closed;

  public Redis(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** {@code "127.0.0.1:6379"} → a client. */
  public static Redis of(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("want HOST:PORT for redis, not '" + hostPort + "'");
    }
    return new Redis(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /**
   * Runs one command (reconnecting first when needed) and returns its reply.
   *
   * @throws IOException when Redis cannot be reached or the connection broke: the command may or
   *     may not have run
   */
  public synchronized @Nullable Object call(String... words) throws IOException {
    Resp c = conn;
    if (c == null) {
      c = new Resp(host, port, 5000);
      conn = c;
    }
    try {
      return c.call(words);
    } catch (Resp.RedisError e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      c.close();
      conn = null;
      throw e;
    }
  }

  /**
   * Subscribes to {@code channels} on a virtual thread: each message goes to {@code onMessage}
   * (channel, payload), in order; after every (re)subscription {@code onSubscribed} runs first, so
   * the caller can catch up on what was published while it was not listening. Returns at once.
   */
  public Thread subscribe(
      List<String> channels, Runnable onSubscribed, BiConsumer<String, String> onMessage) {
    return Thread.ofVirtual()
        .name("redis-subscribe/" + String.join(",", channels))
        .start(
            () -> {
              long backoff = 50;
              while (!closed) {
                try (Resp sub = new Resp(host, port, 0)) {
                  String[] cmd = new String[channels.size() + 1];
                  cmd[0] = "SUBSCRIBE";
                  for (int i = 0; i < channels.size(); i++) {
                    cmd[i + 1] = channels.get(i);
                  }
                  sub.send(cmd);
                  for (int i = 0; i < channels.size(); i++) {
                    var _ = sub.read(); // the subscribe confirmations
                  }
                  backoff = 50;
                  onSubscribed.run();
                  while (!closed) {
                    if (sub.read() instanceof List<?> push
                        && push.size() == 3
                        && "message".equals(push.get(0))
                        && push.get(1) instanceof String channel
                        && push.get(2) instanceof String payload) {
                      onMessage.accept(channel, payload);
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  if (closed) {
                    return;
                  }
                  System.err.println("redis subscription lost (" + e.getMessage() + "); retrying");
                }
                try {
                  Thread.sleep(backoff);
                } catch (InterruptedException e) {
                  return;
                }
                backoff = Math.min(backoff * 2, 1000);
              }
            });
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (conn != null) {
      conn.close();
      conn = null;
    }
  }
}
