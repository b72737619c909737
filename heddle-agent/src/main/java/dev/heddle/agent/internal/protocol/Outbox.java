package dev.heddle.agent.internal.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The one writer of a connection: callers enqueue frames from any thread without blocking, and a
 * single platform daemon thread writes them in order. No lock is ever held across the socket write.
 * A platform thread, not a virtual one: an event must reach the socket with one wake-up (a virtual
 * writer needs its carrier and, for a blocked write, the JDK's poller as well).
 */
public final class Outbox implements AutoCloseable {
  private static final byte[] POISON = new byte[0];
  private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /**
   * Starts the writer thread.
   *
   * @param onFailure called once, on the writer thread, when a write fails (peer gone)
   */
  @SuppressWarnings("ReferenceEquality") // POISON is a sentinel compared by identity on purpose
  public Outbox(String threadName, OutputStream out, Consumer<IOException> onFailure) {
    writer =
        Thread.ofPlatform()
            .name(threadName)
            .daemon(true)
            .start(
                () -> {
                  try {
                    while (true) {
                      byte[] next = queue.take();
                      if (next == POISON) {
                        break;
                      }
                      out.write(next);
                      // Write everything already queued before flushing: batches bursts of events.
                      byte[] more;
                      while ((more = queue.poll()) != null && more != POISON) {
                        out.write(more);
                      }
                      out.flush();
                      if (more == POISON) {
                        break;
                      }
                    }
                  } catch (IOException e) {
                    closed = true;
                    onFailure.accept(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /** Queues a frame; never blocks. Frames sent after close are dropped. */
  public void send(Frame frame) {
    if (!closed) {
      queue.add(FrameCodec.encode(frame));
    }
  }

  /** Writes what is queued, then stops the writer. Blocks until it has stopped. */
  @Override
  public void close() {
    closed = true;
    queue.add(POISON);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
