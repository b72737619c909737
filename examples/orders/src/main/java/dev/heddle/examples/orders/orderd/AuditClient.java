package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Sends a line per accepted order to the optional audit sink, best effort: orders never wait for
 * it. Lines go through a bounded queue to one virtual thread; when the queue is full or the sink is
 * down they are dropped and counted (the database is the record; the audit log is a convenience).
 */
final class AuditClient implements Engine.Audit {
  private final Path socket;
  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(10_000);
  private final AtomicLong dropped = new AtomicLong();

  private AuditClient(Path socket) {
    this.socket = socket;
  }

  /** Starts the sender thread for the sink at {@code socket}. */
  static AuditClient start(Path socket) {
    AuditClient c = new AuditClient(socket);
    Thread.ofVirtual().name("audit/" + socket.getFileName()).start(c::send);
    return c;
  }

  @Override
  public void accepted(long id, Request.Order o) {
    String line =
        "ACCEPTED "
            + id
            + " "
            + o.side()
            + " "
            + o.symbol()
            + " "
            + o.quantity()
            + " "
            + o.price().toPlainString()
            + "\n";
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  private void send() {
    @Nullable SocketChannel ch = null;
    while (true) {
      String line;
      try {
        line = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (ch == null) {
          ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(socket));
        }
        ByteBuffer b = StandardCharsets.UTF_8.encode(line);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      } catch (IOException e) {
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
          System.err.println(
              "orderd: audit sink "
                  + socket
                  + " unavailable ("
                  + e
                  + "); "
                  + n
                  + " lines dropped so far");
        }
        try {
          if (ch != null) {
            ch.close();
          }
        } catch (IOException ignored) {
          // already broken
        }
        ch = null;
      }
    }
  }
}
