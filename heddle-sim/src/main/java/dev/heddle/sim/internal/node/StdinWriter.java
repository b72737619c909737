package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Message;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Feeds a node's stdin from a bounded queue on the node's writer thread, encoding and writing in
 * batches with one flush per batch. A node that stops reading fills the queue; further messages to
 * it are dropped and reported, so the loop thread never blocks on a pipe.
 */
final class StdinWriter {
  static final int CAPACITY = 200_000;
  private static final Message STOP =
      new Message(-1, "", "", dev.heddle.sim.internal.Json.object(), null);
  private final String node;
  private final OutputStream out;
  private final Problems problems;
  private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>(CAPACITY);

  StdinWriter(String node, OutputStream out, Problems problems) {
    this.node = node;
    this.out = new BufferedOutputStream(out, 64 * 1024);
    this.problems = problems;
  }

  /** Queues a message; never blocks. */
  void enqueue(Message m) {
    if (!queue.offer(m)) {
      problems.record(
          node,
          Problems.Kind.STDIN_OVERFLOW,
          "dropped message "
              + m.id()
              + " from "
              + m.src()
              + " ("
              + CAPACITY
              + " messages waiting)");
    }
  }

  /** Makes the writer close stdin and end once the queue is written. */
  void finish() {
    queue.clear();
    queue.offer(STOP);
  }

  // STOP is a sentinel: only that very instance ends the writer, so identity is the right test.
  @SuppressWarnings("ReferenceEquality")
  private static boolean isStop(Message m) {
    return m == STOP;
  }

  /** Writes until finished or until the pipe breaks. Blocks. */
  void run() {
    List<Message> batch = new ArrayList<>();
    try (out) {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 4096);
        for (Message m : batch) {
          if (isStop(m)) {
            return;
          }
          out.write(Wire.encode(m));
        }
        batch.clear();
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // the process closed its stdin or died; its exit is reported by the exit watcher
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
