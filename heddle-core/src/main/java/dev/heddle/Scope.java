package dev.heddle;

import dev.heddle.internal.supervise.Supervisor;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A nursery (trio) on virtual threads: it owns every task started in it and every child scope. A
 * failure that no policy absorbs cancels the siblings and is rethrown to the owner from {@link
 * #awaitExit()} or {@link #close()}, with later failures attached as suppressed. A closed scope
 * refuses new work. {@link #close()} stops children one by one in reverse start order.
 *
 * <p>Cancellation is an interrupt: a task stops by letting {@link InterruptedException} (or {@link
 * ClosedByInterruptException}, {@link java.io.InterruptedIOException}) escape, which then does not
 * count as a failure. Thread-safe; the thread that opened a scope closes it (try-with-resources).
 */
public final class Scope implements AutoCloseable {

  /**
   * The body of a task: it calls {@code ready.started(value)} once it is ready, then keeps running
   * (watching what it started) until it returns or is cancelled.
   *
   * @param <T> the value it reports when ready
   */
  @FunctionalInterface
  public interface Task<T> {
    /** Runs the task on its own virtual thread. Throwing fails the scope (or the start call). */
    void run(Ready<T> ready) throws Exception;
  }

  private final String name;
  private final @Nullable Scope parent;
  private final Object lock; // shared by a whole tree of scopes
  private final List<Object> children = new ArrayList<>(); // Thread or Scope, in start order
  private @Nullable Throwable failure;
  private boolean cancelled;
  private boolean closed;
  private boolean failureReported;
  private int running; // tasks alive in this scope and its descendants
  private final AtomicBoolean cancelling = new AtomicBoolean();
  private final List<Consumer<? super Event>> subscribers = new CopyOnWriteArrayList<>();
  private final List<ServiceHandle> services = new CopyOnWriteArrayList<>();
  private final List<Consumer<? super Throwable>> failureListeners = new CopyOnWriteArrayList<>();
  private static final System.Logger LOG = System.getLogger(Scope.class.getName());

  private Scope(String name, @Nullable Scope parent) {
    this.name = parent == null ? name : parent.name + "/" + name;
    this.parent = parent;
    this.lock = parent == null ? new Object() : parent.lock;
  }

  /** Opens a root scope named {@code name} (used in thread names and messages). Never blocks. */
  public static Scope open(String name) {
    return new Scope(name, null);
  }

  /**
   * Opens a nested scope. Cancelling or closing this scope cancels or closes it; a failure in it
   * that its owner does not absorb fails this scope too. Its owner should close it (or this scope
   * does, in reverse start order).
   *
   * @throws IllegalStateException when this scope is closed or cancelled
   */
  public Scope child(String childName) {
    synchronized (lock) {
      refuse(childName);
      Scope child = new Scope(childName, this);
      children.add(child);
      return child;
    }
  }

  /** The path of this scope, e.g. {@code orders/positiond}. */
  public String name() {
    return name;
  }

  /**
   * Starts {@code task} on a virtual thread named {@code taskName} and blocks until it reports
   * ready, returning the reported value. If the task fails (or returns) before reporting ready, the
   * failure is thrown here and does not fail the scope; after ready, a failure fails the scope.
   *
   * @throws IllegalStateException when the scope is closed or cancelled, or the task returned
   *     without reporting ready
   * @throws HeddleException wrapping a checked exception the task threw before it was ready
   * @throws InterruptedException when the caller is interrupted while waiting (the task runs on)
   */
  public <T> T start(String taskName, Task<T> task) throws InterruptedException {
    CompletableFuture<T> ready = new CompletableFuture<>();
    Thread thread;
    synchronized (lock) {
      refuse(taskName);
      thread = Thread.ofVirtual().name(taskName).unstarted(() -> runTask(taskName, task, ready));
      children.add(thread);
      for (Scope s = this; s != null; s = s.parent) {
        s.running++;
      }
    }
    thread.start();
    try {
      return ready.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new HeddleException(
          "local",
          taskName,
          "START_FAILED",
          "'" + taskName + "' failed before ready: " + cause,
          cause);
    }
  }

  private <T> void runTask(String taskName, Task<T> task, CompletableFuture<T> ready) {
    try {
      task.run(
          value -> {
            if (!ready.complete(value)) {
              throw new IllegalStateException("'" + taskName + "' reported ready twice");
            }
          });
      ready.completeExceptionally(
          new IllegalStateException(
              "'" + taskName + "' in scope '" + name + "' returned without reporting ready"));
    } catch (Throwable e) {
      boolean wasReady = !ready.completeExceptionally(e);
      if (wasReady && !(isCancelled() && Interrupts.isCancellation(e))) {
        fail(e);
      }
    } finally {
      synchronized (lock) {
        for (Scope s = this; s != null; s = s.parent) {
          s.running--;
        }
        lock.notifyAll();
      }
    }
  }

  /** Whether this scope (or an ancestor) has been cancelled or closed. Never blocks. */
  public boolean isCancelled() {
    synchronized (lock) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.cancelled) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Records {@code e} as this scope's failure (or suppressed onto the first one) and cancels the
   * scope; a child scope passes it on to its parent. Never blocks. Used by supervisors to escalate.
   */
  @SuppressWarnings("ReferenceEquality") // the same exception object escalates from child scopes
  public void fail(Throwable e) {
    List<Consumer<? super Throwable>> notify = List.of();
    synchronized (lock) {
      if (failure == null) {
        failure = e;
        notify = List.copyOf(failureListeners);
      } else if (failure != e) {
        failure.addSuppressed(e);
      }
    }
    cancel();
    for (Consumer<? super Throwable> l : notify) {
      try {
        l.accept(e);
      } catch (RuntimeException thrown) {
        LOG.log(
            System.Logger.Level.WARNING, "failure listener of scope '" + name + "' threw", thrown);
      }
    }
    if (parent != null) {
      parent.fail(e);
    }
  }

  /**
   * Cancels every task and child scope, in reverse start order, on a thread named {@code
   * cancel/<scope>}. Never blocks; {@link #awaitExit()} then returns once they have stopped.
   */
  public void cancel() {
    synchronized (lock) {
      cancelled = true;
    }
    if (cancelling.compareAndSet(false, true)) {
      Thread.ofVirtual().name("cancel/" + name).start(this::stopChildren);
    }
  }

  private void stopChildren() {
    List<Object> snapshot;
    synchronized (lock) {
      cancelled = true;
      snapshot = new ArrayList<>(children);
    }
    for (int i = snapshot.size() - 1; i >= 0; i--) {
      Object c = snapshot.get(i);
      if (c instanceof Scope s) {
        s.stopChildrenAndClose();
      } else if (c instanceof Thread t && t != Thread.currentThread()) {
        t.interrupt();
        Interrupts.joinUninterruptibly(t);
      }
    }
  }

  private void stopChildrenAndClose() {
    synchronized (lock) {
      closed = true;
    }
    stopChildren();
  }

  /**
   * Blocks until every task of this scope and its child scopes has ended, then rethrows the scope's
   * failure if there is one.
   *
   * @throws RuntimeException the first failure, others suppressed (a checked one wrapped in a
   *     {@link HeddleException} with code {@code SCOPE_FAILED})
   * @throws InterruptedException when the caller is interrupted while waiting
   */
  public void awaitExit() throws InterruptedException {
    synchronized (lock) {
      while (running > 0) {
        lock.wait();
      }
    }
    rethrow();
  }

  /**
   * Like {@link #awaitExit()} with a deadline (trio's {@code fail_after}): when tasks still run
   * after {@code timeout}, cancels the scope, waits for them to stop, and throws.
   *
   * @throws HeddleException with code {@code DEADLINE_EXCEEDED} naming the scope and the limit
   */
  public void awaitExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean late;
    synchronized (lock) {
      long left = deadline - System.nanoTime();
      while (running > 0 && left > 0) {
        lock.wait(Math.max(1, left / 1_000_000));
        left = deadline - System.nanoTime();
      }
      late = running > 0;
    }
    if (late) {
      cancel();
      synchronized (lock) {
        while (running > 0) {
          lock.wait();
        }
      }
      rethrow();
      throw new HeddleException(
          "local",
          null,
          "DEADLINE_EXCEEDED",
          "scope '" + name + "' still had tasks running after " + timeout + "; cancelled them");
    }
    rethrow();
  }

  private void rethrow() {
    Throwable f;
    synchronized (lock) {
      f = failure;
      if (f == null || failureReported) {
        return;
      }
      failureReported = true;
    }
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error err) {
      throw err;
    }
    throw new HeddleException(
        "local", null, "SCOPE_FAILED", "scope '" + name + "' failed: " + f, f);
  }

  private void refuse(String what) {
    if (closed) {
      throw new IllegalStateException(
          "scope '"
              + name
              + "' is closed: cannot start '"
              + what
              + "'; start it before close()"
              + " or in another scope");
    }
    if (isCancelled()) {
      throw new IllegalStateException(
          "scope '"
              + name
              + "' is cancelled"
              + (failure == null ? "" : " after " + failure)
              + ": cannot start '"
              + what
              + "'");
    }
  }

  /**
   * Refuses new work, stops every task and child scope one at a time in reverse start order
   * (interrupt, then wait for it to end), and rethrows a failure not yet thrown by {@link
   * #awaitExit()}. Blocks until all have stopped. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    stopChildren();
    synchronized (lock) {
      boolean interrupted = false;
      while (running > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    rethrow();
  }

  /**
   * Supervises {@code service} in this scope and blocks until its first incarnation is ready. Its
   * watcher thread is named {@code supervise/<name>@<host>#<incarnation>}; exits are handled by its
   * {@link RestartPolicy}, and a failure it does not absorb fails this scope.
   *
   * @throws HeddleException with code {@code NOT_READY} when the first incarnation is not ready in
   *     time, or the spawn error
   * @throws IllegalStateException when this scope is closed or cancelled
   * @throws InterruptedException when the caller is interrupted while waiting
   */
  public ServiceHandle supervise(Service service) throws InterruptedException {
    return register(
        start(Supervisor.threadName(service, 1), new Supervisor(service, this::publish)));
  }

  /** Records {@code handle} in this scope and its ancestors, for {@link #services()}. */
  ServiceHandle register(ServiceHandle handle) {
    for (Scope s = this; s != null; s = s.parent) {
      s.services.add(handle);
    }
    return handle;
  }

  /**
   * Every service supervised in this scope and its child scopes (directly or in a {@link
   * ServiceGroup}) that has been ready, in start order, including those that have ended since. For
   * a console or a REPL. Never blocks.
   */
  public List<ServiceHandle> services() {
    return List.copyOf(services);
  }

  /**
   * A group of services supervised together under {@code strategy} ({@link Strategy#REST_FOR_ONE}:
   * a crash restarts the services started after the crashed one). Its services are tasks of this
   * scope. Never blocks.
   *
   * @throws IllegalStateException when this scope is closed or cancelled
   */
  public ServiceGroup group(String groupName, Strategy strategy) {
    synchronized (lock) {
      refuse(groupName);
    }
    return new ServiceGroup(this, groupName, strategy);
  }

  /**
   * Calls {@code listener} once with this scope's first failure (a failure of a child scope
   * counts), on the thread that fails the scope, after cancellation has begun; at once on the
   * caller's thread when the scope has already failed. Meant for owners that must react at once,
   * such as a test harness interrupting the test. A listener that throws is logged. Never blocks.
   * Thread-safe.
   */
  public Subscription onFailure(Consumer<? super Throwable> listener) {
    Throwable already;
    synchronized (lock) {
      already = failure;
      if (already == null) {
        failureListeners.add(listener);
      }
    }
    if (already != null) {
      listener.accept(already);
    }
    return () -> failureListeners.remove(listener);
  }

  /** A subscription to {@link #events} or {@link #onFailure}; close it to stop receiving. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    /** Stops delivery. Never blocks. */
    @Override
    void close();
  }

  /**
   * Delivers every event of this scope and its child scopes to {@code subscriber}, on the thread
   * that watches the service, in order per service. A subscriber that throws is logged with its
   * exception (System.Logger, WARNING) and stays subscribed. Thread-safe.
   */
  public Subscription events(Consumer<? super Event> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Delivers {@code event} to this scope's subscribers and its ancestors'. */
  void publish(Event event) {
    for (Scope s = this; s != null; s = s.parent) {
      for (Consumer<? super Event> sub : s.subscribers) {
        try {
          sub.accept(event);
        } catch (RuntimeException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "event subscriber " + sub + " of scope '" + s.name + "' threw on " + event,
              e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Scope[" + name + "]";
  }
}
