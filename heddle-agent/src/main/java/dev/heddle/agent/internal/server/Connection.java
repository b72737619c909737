package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.protocol.Frame;
import dev.heddle.agent.internal.protocol.FrameCodec;
import dev.heddle.agent.internal.protocol.Outbox;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection over a pair of byte streams: an accepted unix socket, or the agent's own
 * stdin and stdout in {@code --stdio} mode (over an SSH exec channel). Frames are length-prefixed,
 * so nothing depends on end-of-stream but the disconnect itself. Its reader runs on this thread and
 * hands each request to a new virtual thread, so a slow request (a stop with a grace period) never
 * delays the others; all writes go through the connection's {@link Outbox}.
 */
final class Connection implements Runnable {
  private static final AtomicLong NEXT = new AtomicLong();
  final long number = NEXT.incrementAndGet();
  private final InputStream in;
  private final AutoCloseable transport;
  private final Requests requests;
  final Outbox outbox;

  /** Who the controller on this connection says it is (its hello's {@code controller}), if any. */
  volatile @org.jspecify.annotations.Nullable String controllerName;

  /** When this connection's hello attached it as the controller. */
  volatile java.time.@org.jspecify.annotations.Nullable Instant attachedAt;

  /**
   * @param transport closed when the connection ends (the socket; for stdio, both streams)
   */
  Connection(InputStream in, OutputStream out, AutoCloseable transport, Requests requests) {
    this.in = in;
    this.transport = transport;
    this.requests = requests;
    this.outbox =
        new Outbox(
            "agent/conn" + number + "/writer",
            new BufferedOutputStream(out, 64 * 1024),
            e -> close());
  }

  void send(Frame frame) {
    outbox.send(frame);
  }

  @Override
  public void run() {
    try (var data = new DataInputStream(new BufferedInputStream(in, 64 * 1024))) {
      while (true) {
        byte[] payload;
        try {
          payload = FrameCodec.readPayload(data);
        } catch (ProtocolException e) {
          send(Frame.error(0, "", e.code().name(), String.valueOf(e.getMessage())));
          outbox.close(); // flush the error, then drop the stream: it cannot be trusted any more
          break;
        }
        if (payload == null) {
          break;
        }
        Frame frame;
        try {
          frame = FrameCodec.decode(payload);
        } catch (ProtocolException e) {
          send(
              Frame.error(
                  e.requestId(), e.requestType(), e.code().name(), String.valueOf(e.getMessage())));
          continue;
        }
        if (frame.kind() != Frame.Kind.REQUEST) {
          send(
              Frame.error(
                  frame.id(),
                  frame.type(),
                  ProtocolException.Code.BAD_FRAME.name(),
                  "the agent only accepts requests, got a " + frame.kind()));
          continue;
        }
        Thread.ofVirtual()
            .name("agent/conn" + number + "/" + frame.type() + "#" + frame.id())
            .start(() -> requests.handle(this, frame));
      }
    } catch (IOException e) {
      // peer gone: treated as a disconnect below
    } finally {
      close();
      requests.disconnected(this);
    }
  }

  void reply(Frame request, Map<String, Object> body) {
    send(Frame.reply(request.id(), request.type(), body));
  }

  void close() {
    try {
      transport.close();
    } catch (Exception e) {
      // already closed
    }
  }

  /** Flushes what is queued and closes. */
  void drainAndClose() {
    outbox.close();
    close();
  }
}
