package dev.heddle.sim.internal.loop;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's single scheduler thread: timed events ordered by time (then by scheduling order)
 * and an inbox that other threads post to. All simulation state (network, clients, services,
 * nemesis, history) is touched only from this thread, so none of it needs locks.
 *
 * <p>{@link #post} and {@link #call} are thread-safe; everything else must be called on the loop
 * thread. The loop stops on {@link #close()}; a task that throws stops the run and its failure is
 * reported by {@link #failure()}.
 */
public final class EventLoop implements AutoCloseable {
  private final PriorityQueue<Timed> timers = new PriorityQueue<>();
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final long origin = System.nanoTime();
  private final Thread thread;
  private volatile boolean parked;
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;
  private long sequence;

  /** Starts the loop thread, named {@code name}. */
  public EventLoop(String name) {
    thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    thread.start();
  }

  /** Nanoseconds since the loop started: the simulation's clock. Any thread. */
  public long now() {
    return System.nanoTime() - origin;
  }

  /** Runs a task on the loop thread soon. Any thread. */
  public void post(Runnable task) {
    inbox.add(task);
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  /** Runs a function on the loop thread and completes the future with its result. Any thread. */
  public <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    post(
        () -> {
          try {
            result.complete(task.get());
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            throw e;
          }
        });
    return result;
  }

  /**
   * Runs a function that starts something asynchronous on the loop thread; the returned future
   * completes as the future the function returns does. Any thread.
   */
  public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    post(
        () -> {
          CompletableFuture<T> started;
          try {
            started = task.get();
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            throw e;
          }
          CompletableFuture<T> _ =
              started.whenComplete(
                  (value, error) -> {
                    if (error != null) {
                      result.completeExceptionally(error);
                    } else {
                      result.complete(value);
                    }
                  });
        });
    return result;
  }

  /** Runs a task at a loop time in nanoseconds. Loop thread only. */
  public void at(long timeNanos, Runnable task) {
    timers.add(new Timed(timeNanos, sequence++, task));
  }

  /** Runs a task after a delay in nanoseconds. Loop thread only. */
  public void after(long delayNanos, Runnable task) {
    at(now() + delayNanos, task);
  }

  /** Returns whether the caller is the loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Returns the failure that stopped the loop, or null. */
  public @Nullable Throwable failure() {
    return failure;
  }

  /** Stops the loop and waits for its thread to end; an interrupt is kept for the caller. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (running) {
        int drained = 0;
        Runnable task;
        while (drained < 4096 && (task = inbox.poll()) != null) {
          task.run();
          drained++;
        }
        long now = now();
        int fired = 0;
        while (fired < 4096 && !timers.isEmpty() && timers.peek().time <= now) {
          timers.poll().task.run();
          fired++;
        }
        if (drained == 0 && fired == 0) {
          sleepUntilWork();
        }
      }
    } catch (Throwable t) {
      failure = t;
      running = false;
    }
  }

  private void sleepUntilWork() {
    parked = true;
    try {
      if (!inbox.isEmpty() || !running) {
        return;
      }
      long wait = timers.isEmpty() ? 100_000_000L : timers.peek().time - now();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
      }
    } finally {
      parked = false;
    }
  }

  private record Timed(long time, long seq, Runnable task) implements Comparable<Timed> {
    @Override
    public int compareTo(Timed o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
