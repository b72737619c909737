package dev.heddle.examples.iot.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A user's connection to the WebSocket API, on the JDK's {@link WebSocket}: {@link #request} sends
 * one request and waits for its reply; everything pushed ({@code hello}, {@code device} updates,
 * {@code devices} snapshots) goes to a queue read by {@link #awaitEvent}. Thread-safe.
 */
public final class IotClient implements AutoCloseable {
  private final WebSocket socket;
  private final Map<Long, CompletableFuture<ObjectNode>> pending;
  private final BlockingQueue<ObjectNode> events;
  private final CompletableFuture<Integer> closed;
  private final AtomicLong ids = new AtomicLong();
  private final String worker;

  private IotClient(
      WebSocket socket,
      Map<Long, CompletableFuture<ObjectNode>> pending,
      BlockingQueue<ObjectNode> events,
      CompletableFuture<Integer> closed,
      String worker) {
    this.socket = socket;
    this.pending = pending;
    this.events = events;
    this.closed = closed;
    this.worker = worker;
  }

  /**
   * A token for {@code user} from the auth service at {@code auth}.
   *
   * @throws IOException with the service's answer when it refuses
   */
  public static String token(HttpClient http, InetSocketAddress auth, String user, String password)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + auth.getHostString() + ":" + auth.getPort() + "/token"))
                .timeout(Duration.ofSeconds(10))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Json.object("user", user, "password", password).toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("auth said " + r.statusCode() + ": " + r.body());
    }
    return Json.parseObject(r.body()).path("token").asText();
  }

  /** {@code GET /stats/DEVICE} on the statistics service at {@code stats}, with {@code token}. */
  public static HttpResponse<String> stats(
      HttpClient http, InetSocketAddress stats, String device, String token)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + stats.getHostString() + ":" + stats.getPort() + "/stats/" + device))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Connects to {@code uri} with {@code token}; returns once the worker's hello arrived.
   *
   * @throws IOException when the connection or the handshake fails (for a refused token the cause
   *     is a {@link java.net.http.WebSocketHandshakeException} whose response has the status)
   */
  public static IotClient connect(HttpClient http, String uri, String token, Duration timeout)
      throws IOException, InterruptedException {
    return connect(http, uri, token, timeout, Integer.MAX_VALUE);
  }

  /**
   * {@link #connect(HttpClient, String, String, Duration)} keeping at most {@code keepEvents}
   * unread pushed messages (newer ones are dropped): for the benchmark's thousands of idle
   * connections.
   */
  public static IotClient connect(
      HttpClient http, String uri, String token, Duration timeout, int keepEvents)
      throws IOException, InterruptedException {
    Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>(keepEvents);
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public @Nullable CompletionStage<?> onText(
              WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              ObjectNode m = Json.parseObject(text.toString());
              text.setLength(0);
              if (m.has("re") && m.get("re").canConvertToLong()) {
                CompletableFuture<ObjectNode> f = pending.remove(m.get("re").asLong());
                if (f != null) {
                  f.complete(m);
                }
              } else {
                var _ = events.offer(m); // full: an idle benchmark connection, dropped
              }
            }
            ws.request(1);
            return null;
          }

          @Override
          public @Nullable CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            pending
                .values()
                .forEach(f -> f.completeExceptionally(new IOException("closed " + status)));
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
            pending
                .values()
                .forEach(f -> f.completeExceptionally(new IOException("broken", error)));
          }
        };
    WebSocket ws;
    try {
      ws =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .connectTimeout(timeout)
              .buildAsync(URI.create(uri), listener)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("cannot connect to " + uri + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no WebSocket to " + uri + " within " + timeout, e);
    }
    ObjectNode hello = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (hello == null || !hello.path("event").asText().equals("hello")) {
      ws.abort();
      throw new IOException("no hello from " + uri + " within " + timeout + " (got " + hello + ")");
    }
    return new IotClient(ws, pending, events, closed, hello.path("worker").asText());
  }

  /** The worker this connection landed on (from its hello), e.g. {@code api-2}. */
  public String worker() {
    return worker;
  }

  /**
   * Sends {@code request} with a fresh {@code id} and returns the reply.
   *
   * @throws IOException when the connection closes first or no reply comes within {@code timeout}
   */
  public ObjectNode request(ObjectNode request, Duration timeout)
      throws IOException, InterruptedException {
    long id = ids.incrementAndGet();
    CompletableFuture<ObjectNode> f = new CompletableFuture<>();
    pending.put(id, f);
    request.put("id", id);
    if (closed.isDone()) {
      pending.remove(id);
      throw new IOException("connection closed");
    }
    sendText(request.toString());
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("no reply: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      pending.remove(id);
      throw new IOException("no reply within " + timeout, e);
    }
  }

  /** {@code {"op":"set","device":…,"target":…}}. */
  public ObjectNode set(String device, ObjectNode target, Duration timeout)
      throws IOException, InterruptedException {
    return request(Json.object("op", "set", "device", device, "target", target), timeout);
  }

  /** {@code {"op":"list"}}. */
  public ObjectNode list(Duration timeout) throws IOException, InterruptedException {
    return request(Json.object("op", "list"), timeout);
  }

  /** Sends raw text (for tests of bad input). */
  public void sendText(String text) throws IOException {
    try {
      socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot send: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    }
  }

  /**
   * The next pushed message matching {@code want} (others are dropped), or null after {@code
   * timeout}.
   */
  public @Nullable ObjectNode awaitEvent(Predicate<ObjectNode> want, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      ObjectNode e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e != null && want.test(e)) {
        return e;
      }
    }
  }

  /** Drops every unread pushed message. */
  public void clearEvents() {
    events.clear();
  }

  /** Whether the server closed (or broke) the connection. */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** Completes with the close code (-1 for a broken connection). */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
