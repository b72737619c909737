package dev.heddle.internal.agent;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A controller's connection to one agent over any byte stream (a unix socket locally; an SSH
 * channel later). Requests get ids and futures; events go to listeners. One platform daemon thread
 * reads, one writes ({@link Outbox}); no lock is held across I/O. Thread-safe.
 */
public final class AgentConnection implements AutoCloseable {
  private final String host;
  private final AutoCloseable transport;
  private final Outbox outbox;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Frame>> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  public AgentConnection(String host, InputStream in, OutputStream out, AutoCloseable transport) {
    this.host = host;
    this.transport = transport;
    this.outbox =
        new Outbox(
            "agent-client/" + host + "/writer",
            new BufferedOutputStream(out, 64 * 1024),
            e -> lost("writing to the agent failed: " + e));
    // A platform daemon thread: an agent event reaches the listeners with one wake-up, where a
    // virtual reader waits for the JDK's poller thread, then its poller virtual thread, then a
    // carrier (about 0.3 ms per exit event on a busy machine).
    Thread.ofPlatform()
        .name("agent-client/" + host + "/reader")
        .daemon(true)
        .start(() -> readLoop(new DataInputStream(new BufferedInputStream(in, 64 * 1024))));
  }

  /** Sends a request; the future completes with the reply, or fails with {@link AgentError}. */
  public CompletableFuture<Frame> request(String type, Map<String, Object> body) {
    long id = ids.incrementAndGet();
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    pending.put(id, reply);
    if (closed.isDone()) {
      pending.remove(id);
      reply.completeExceptionally(
          new AgentError(host, "CONNECTION_LOST", closed.getNow("connection closed")));
      return reply;
    }
    outbox.send(Frame.request(id, type, body));
    return reply;
  }

  /** Registers a listener for events; it runs on the reader thread, so keep it short. */
  public void onEvent(Consumer<Frame> listener) {
    listeners.add(listener);
  }

  /** Completes with the reason once the connection is gone. */
  public CompletableFuture<String> closed() {
    return closed;
  }

  private void readLoop(DataInputStream in) {
    String why = "the agent closed the connection";
    try {
      while (true) {
        byte[] payload = FrameCodec.readPayload(in);
        if (payload == null) {
          break;
        }
        Frame f = FrameCodec.decode(payload);
        switch (f.kind()) {
          case REPLY -> complete(f.id(), f, null);
          case ERROR -> {
            String code = String.valueOf(f.body().get("code"));
            String message = String.valueOf(f.body().get("message"));
            complete(f.id(), null, new AgentError(host, code, message));
          }
          case EVENT -> dispatch(f);
          case REQUEST -> {
            // agents do not send requests
          }
        }
      }
    } catch (IOException e) {
      why = "the connection to the agent broke: " + e;
    } catch (ProtocolException e) {
      why = "the agent sent a bad frame: " + e.getMessage();
    }
    lost(why);
  }

  private void dispatch(Frame event) {
    for (Consumer<Frame> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        System.getLogger("dev.heddle.agent")
            .log(System.Logger.Level.ERROR, "an event listener failed on " + event.type(), e);
      }
    }
  }

  private void complete(long id, @Nullable Frame reply, @Nullable Throwable error) {
    CompletableFuture<Frame> f = pending.remove(id);
    if (f == null) {
      return;
    }
    if (error != null) {
      f.completeExceptionally(error);
    } else {
      f.complete(reply);
    }
  }

  private void lost(String why) {
    if (closed.complete(why)) {
      for (var e : pending.entrySet()) {
        e.getValue().completeExceptionally(new AgentError(host, "CONNECTION_LOST", why));
      }
      pending.clear();
      dispatch(Frame.event("connectionLost", Map.of("reason", why)));
    }
  }

  @Override
  public void close() {
    lost("the controller closed the connection");
    outbox.close();
    try {
      transport.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
