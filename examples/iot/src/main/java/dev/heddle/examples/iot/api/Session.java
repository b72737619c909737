package dev.heddle.examples.iot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.DeviceTypes;
import dev.heddle.examples.iot.wire.Http;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Store;
import dev.heddle.examples.iot.wire.Tokens;
import dev.heddle.examples.iot.wire.WebSocket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One user connection: the HTTP upgrade (token checked before anything else), then requests in,
 * replies and pushed updates out. Reads on its own virtual thread; writes go through a bounded
 * outbox drained by a second one, so a slow client never blocks the fan-out of updates (when its
 * outbox is full it is disconnected with 1008).
 */
final class Session implements Runnable {
  static final int MAX_MESSAGE = 16 * 1024;
  private static final byte[] END = new byte[0];

  private final SocketChannel channel;
  private final Worker worker;
  private final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(1024);
  private volatile @Nullable String user;

  Session(SocketChannel channel, Worker worker) {
    this.channel = channel;
    this.worker = worker;
  }

  @Override
  public void run() {
    try (channel) {
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 2048);
      OutputStream out = Channels.newOutputStream(channel);
      Http.Request request;
      String who;
      try {
        request = Http.read(in);
        if (!request.path().equals("/ws")) {
          throw new Http.BadRequest(404, "the WebSocket API is at /ws");
        }
        String token = request.bearer();
        if (token == null) {
          throw new Http.BadRequest(401, "no token: send Authorization: Bearer TOKEN");
        }
        try {
          who = worker.tokens().verify(token, Instant.now());
        } catch (Tokens.InvalidToken e) {
          throw new Http.BadRequest(401, String.valueOf(e.getMessage()));
        }
        WebSocket.accept(request, out);
      } catch (Http.BadRequest e) {
        Http.error(out, e.status(), String.valueOf(e.getMessage()));
        return;
      }
      user = who;
      Thread writer = Thread.ofVirtual().name("api/write").start(() -> drain(out));
      worker.hub().join(who, this);
      try {
        send(Json.object("event", "hello", "worker", worker.name(), "user", who).toString());
        serve(new WebSocket.Reader(in, MAX_MESSAGE));
      } finally {
        worker.hub().leave(who, this);
        if (!outbox.offer(END)) { // full: the client is not reading anyway
          outbox.clear();
          outbox.offer(END);
        }
        writer.join(2000);
        linger(in);
      }
    } catch (IOException | InterruptedException e) {
      // the client went away or broke the connection: nothing to tell it
    }
  }

  private void serve(WebSocket.Reader reader) throws IOException {
    while (true) {
      WebSocket.Message m;
      try {
        m = reader.next();
      } catch (WebSocket.ProtocolError e) {
        outbox.offer(WebSocket.close(e.code(), String.valueOf(e.getMessage())));
        return;
      }
      switch (m.opcode()) {
        case WebSocket.TEXT -> handle(m.text());
        case WebSocket.PING -> enqueue(WebSocket.frame(WebSocket.PONG, m.payload()));
        case WebSocket.CLOSE -> {
          outbox.offer(
              WebSocket.frame(
                  WebSocket.CLOSE,
                  m.payload().length >= 2
                      ? new byte[] {m.payload()[0], m.payload()[1]}
                      : new byte[0]));
          return;
        }
        case WebSocket.BINARY ->
            send(
                error(
                    NullNode.getInstance(), "binary messages are not understood; send JSON text"));
        default -> {} // PONG: nothing to do
      }
    }
  }

  private void handle(String text) {
    ObjectNode request;
    try {
      request = Json.parseObject(text);
    } catch (IllegalArgumentException e) {
      send(error(NullNode.getInstance(), e.getMessage()));
      return;
    }
    JsonNode id = request.has("id") ? request.get("id") : NullNode.getInstance();
    String who = java.util.Objects.requireNonNull(user);
    try {
      String op = request.path("op").asText("");
      switch (op) {
        case "list" ->
            send("{\"re\":" + id + ",\"ok\":true,\"devices\":" + worker.store().list(who) + "}");
        case "set" -> send(set(who, id, request));
        default -> send(error(id, "unknown op '" + op + "'; want list or set"));
      }
    } catch (IllegalArgumentException e) {
      send(error(id, e.getMessage()));
    } catch (IOException e) {
      send(
          error(
              id,
              "storage unavailable ("
                  + e.getMessage()
                  + "); the request may not have been applied: send it again"));
    }
  }

  private String set(String who, JsonNode id, ObjectNode request) throws IOException {
    String device = request.path("device").asText("");
    if (!Store.ID.matcher(device).matches()) {
      throw new IllegalArgumentException("device must be a device id (" + Store.ID.pattern() + ")");
    }
    List<@Nullable Object> ownerType = worker.store().ownerAndType(device);
    if (ownerType == null || !who.equals(ownerType.get(0))) {
      return error(id, "no device " + device + " of yours");
    }
    ObjectNode target =
        DeviceTypes.validate(String.valueOf(ownerType.get(1)), request.path("target"));
    long version = worker.store().setTarget(who, device, target.toString());
    if (version < 0) {
      return error(id, "no device " + device + " of yours");
    }
    return Json.object("re", id, "ok", true, "device", device, "version", version).toString();
  }

  private static String error(JsonNode id, @Nullable String message) {
    return Json.object("re", id, "ok", false, "error", String.valueOf(message)).toString();
  }

  /** Queues a text message; a client too slow to take it is disconnected. */
  void send(String text) {
    enqueue(WebSocket.text(text));
  }

  private void enqueue(byte[] frame) {
    if (!outbox.offer(frame)) {
      outbox.clear();
      outbox.offer(WebSocket.close(1008, "too slow: more than 1024 messages waiting"));
      outbox.offer(END);
    }
  }

  private void drain(OutputStream out) {
    try {
      while (true) {
        byte[] frame = outbox.take();
        if (frame.length == 0) { // END
          break;
        }
        out.write(frame);
        if ((frame[0] & 0x0F) == WebSocket.CLOSE) {
          channel.shutdownOutput(); // the closing handshake: nothing more from us
          break;
        }
      }
    } catch (IOException | InterruptedException e) {
      // gone
    }
  }

  /**
   * Reads and drops what the client still sends (at most 1 MiB, for at most 2 s) before the socket
   * is closed: closing with unread input makes the kernel send a reset, which can destroy our close
   * frame before the client reads it.
   */
  private void linger(InputStream in) {
    Thread timer =
        Thread.ofVirtual()
            .name("api/linger")
            .start(
                () -> {
                  try {
                    Thread.sleep(2000);
                    channel.close();
                  } catch (InterruptedException | IOException e) {
                    // done in time, or already closed
                  }
                });
    try {
      byte[] sink = new byte[4096];
      long total = 0;
      int n;
      while (total < (1 << 20) && (n = in.read(sink)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // closed by the timer, or reset
    } finally {
      timer.interrupt();
    }
  }
}
