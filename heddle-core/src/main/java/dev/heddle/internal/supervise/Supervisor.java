package dev.heddle.internal.supervise;

import dev.heddle.Event;
import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.Ready;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.Strategy;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs one supervised service inside a scope task: spawns an incarnation, waits for readiness,
 * watches its exit, and asks {@link RestartDecider} what next. Cancellation (an interrupt) stops
 * the current incarnation. Its thread is renamed {@code supervise/<name>@<host>#<incarnation>}.
 *
 * <p>In a {@link Group} with a strategy other than one-for-one, a restart its policy asks for waits
 * for the group's coordinator (which first stops the members the strategy names), and the
 * coordinator may stop its incarnation ({@link #hold}) and later let it start the next ({@link
 * #resume}). The member's state is guarded by {@code this}; nothing is awaited under it.
 */
public final class Supervisor implements Scope.Task<ServiceHandle>, ServiceHandle.Current {

  private enum State {
    /** An incarnation is starting or running (or the service has not started yet). */
    RUNNING,
    /** Its own exit asked for a restart; waiting for the group's coordinator. */
    WAITING,
    /** Stopped (or being stopped) by the group; waiting to be told to start again. */
    HELD,
    ENDED
  }

  private final Service service;
  private final Consumer<Event> publish;
  private final String host;
  private final @Nullable Group group;
  private volatile @Nullable HostProcess current;
  private volatile int incarnation;
  private State state = State.RUNNING;
  private boolean stoppedByOperator; // HELD by stop(), not by the group
  private @Nullable CompletableFuture<Boolean> resume;
  private @Nullable CompletableFuture<Void> readyAgain;
  private int readyAgainAfter; // readyAgain completes when an incarnation after this one is ready

  /** A supervisor on its own (one-for-one). */
  public Supervisor(Service service, Consumer<Event> publish) {
    this(service, publish, null);
  }

  /** A supervisor that is a member of {@code group}. */
  public Supervisor(Service service, Consumer<Event> publish, @Nullable Group group) {
    this.service = service;
    this.publish = publish;
    this.host = service.host().name();
    this.group = group == null || group.strategy() == Strategy.ONE_FOR_ONE ? null : group;
  }

  /** The thread name of incarnation {@code n}. */
  public static String threadName(Service service, int n) {
    return "supervise/" + service.name() + "@" + service.host().name() + "#" + n;
  }

  @Override
  public HostProcess current() {
    HostProcess p = current;
    if (p == null) {
      throw new IllegalStateException(service.name() + " has not been spawned yet");
    }
    return p;
  }

  @Override
  public Service service() {
    return service;
  }

  @Override
  public void restart() throws InterruptedException {
    synchronized (this) {
      if (state == State.ENDED) {
        throw new IllegalStateException(service.name() + " has ended: nothing to restart");
      }
      if (state == State.HELD && !stoppedByOperator) {
        throw new IllegalStateException(
            service.name() + " is being restarted by its group; try again when it is ready");
      }
    }
    if (!isStopped()) {
      hold();
    }
    synchronized (this) {
      stoppedByOperator = false;
    }
    resumeAndAwait();
  }

  @Override
  public void stop() {
    synchronized (this) {
      if (state == State.ENDED) {
        throw new IllegalStateException(service.name() + " has ended: nothing to stop");
      }
      if (state == State.HELD) {
        throw new IllegalStateException(
            service.name()
                + (stoppedByOperator ? " is already stopped" : " is being restarted by its group"));
      }
    }
    if (hold()) {
      synchronized (this) {
        stoppedByOperator = true;
      }
    }
  }

  @Override
  public void start() throws InterruptedException {
    synchronized (this) {
      if (state != State.HELD || !stoppedByOperator) {
        throw new IllegalStateException(
            service.name() + " is not stopped (" + state.name().toLowerCase(Locale.ROOT) + ")");
      }
      stoppedByOperator = false;
    }
    resumeAndAwait();
  }

  @Override
  public synchronized boolean isStopped() {
    return state == State.HELD && stoppedByOperator;
  }

  private void resumeAndAwait() throws InterruptedException {
    if (!resume(true)) {
      throw new IllegalStateException(service.name() + " has ended");
    }
    if (!awaitReadyAgain()) {
      throw new IllegalStateException(
          service.name() + " ended before its new incarnation was ready (see the scope's failure)");
    }
  }

  @Override
  public void run(Ready<ServiceHandle> ready) throws Exception {
    try {
      if (group != null) {
        group.join(this);
      }
      supervise(ready);
    } finally {
      dropSpare();
      CompletableFuture<Void> waiting;
      synchronized (this) {
        state = State.ENDED;
        waiting = readyAgain;
      }
      if (waiting != null) {
        waiting.completeExceptionally(new CancellationException(service.name() + " ended"));
      }
      if (group != null) {
        group.ended(this);
      }
    }
  }

  private void supervise(Ready<ServiceHandle> ready) throws Exception {
    RestartDecider decider = new RestartDecider(service.restartPolicy(), new Random());
    ProcessSpec spec = service.spec();
    boolean reported = false;
    for (int n = 1; ; n++) {
      Thread.currentThread().setName(threadName(service, n));
      incarnation = n;
      // the first incarnation may be one an earlier program left running (handover mode)
      java.util.Optional<HostProcess> adopted =
          n == 1 ? service.host().adopt(spec) : java.util.Optional.empty();
      HostProcess p = adopted.orElseGet(() -> service.host().spawn(spec));
      boolean heldAtSpawn;
      synchronized (this) {
        current = p;
        heldAtSpawn = state == State.HELD;
      }
      publish.accept(new Event.Started(service.name(), host, n, Instant.now(), p.pid()));
      if (heldAtSpawn) { // the group held it while it spawned: hold() stopped the one before
        stopAndPublish(p, n);
      }
      ExitStatus status = null;
      if (!heldAtSpawn) {
        try {
          service.readiness().await(p, spec);
          publish.accept(new Event.Ready(service.name(), host, n, Instant.now()));
          if (n == 1 && adopted.isEmpty()) { // an upgrade: the old version goes once this serves
            var _ = service.host().retireUnadopted(service.name());
          }
          readyAgain(n); // before the handle goes out: whoever gets it may hold this incarnation
          if (!reported) {
            reported = true;
            ready.started(new ServiceHandle(service.name(), service.host(), this));
          }
          status = p.awaitExit();
        } catch (InterruptedException e) {
          if (p.outlivesScope()) { // adopted, takeover not committed: the earlier system stays
            System.getLogger("dev.heddle")
                .log(
                    System.Logger.Level.INFO,
                    service.name()
                        + " ("
                        + p.processId()
                        + ") left running: taken over from an earlier program that is not yet"
                        + " replaced");
            throw e;
          }
          stopIfAlive(p, n);
          throw e;
        } catch (RuntimeException e) {
          if (!isHeld()) {
            stopIfAlive(p, n);
            throw e;
          }
          // readiness failed because the group stopped it
        }
      }
      if (status == null || isHeld()) { // stopped by the group, which published Stopped
        if (!awaitResume()) {
          return;
        }
        publish.accept(new Event.Restarted(service.name(), host, n + 1, Instant.now()));
        continue;
      }
      publish.accept(new Event.Exited(service.name(), host, n, Instant.now(), status));
      switch (decider.decide(status, Instant.now())) {
        case RestartDecider.End end -> {
          return;
        }
        case RestartDecider.GiveUp g -> {
          publish.accept(new Event.GaveUp(service.name(), host, n, Instant.now(), g.reason()));
          throw new HeddleException(
              host,
              service.name(),
              "GAVE_UP",
              service.name()
                  + " on "
                  + host
                  + ": the supervisor gave up: "
                  + g.reason()
                  + "\n  last lines of stderr:\n    "
                  + String.join("\n    ", p.tail(LogStream.STDERR, 20)));
        }
        case RestartDecider.Restart r -> {
          publish.accept(
              new Event.RestartScheduled(
                  service.name(), host, n, Instant.now(), r.delay(), r.attempt()));
          if (group != null) {
            boolean ask;
            synchronized (this) {
              ask = state != State.HELD; // held meanwhile: the group restarts it anyway
              if (ask) {
                state = State.WAITING;
                resume = new CompletableFuture<>();
                readyAgain = new CompletableFuture<>();
                readyAgainAfter = n;
              }
            }
            if (ask) {
              group.requestRestart(this);
            }
            if (!awaitResume()) {
              return;
            }
          }
          Thread.sleep(r.delay());
          publish.accept(new Event.Restarted(service.name(), host, n + 1, Instant.now()));
        }
      }
    }
  }

  /** No incarnation follows: the host's spare for the next one goes too. */
  private void dropSpare() {
    HostProcess last;
    synchronized (this) {
      last = current;
    }
    if (last == null || !service.spec().keepSpare()) {
      return;
    }
    boolean interrupted = Thread.interrupted(); // a cancelled scope still frees it
    try {
      last.dropSpare();
    } catch (RuntimeException e) {
      // the host is gone (its agent took the spare with it) or closing: nothing is left to free
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void stopIfAlive(HostProcess p, int n) {
    if (p.isAlive()) {
      stopAndPublish(p, n);
    }
  }

  private void stopAndPublish(HostProcess p, int n) {
    var result = p.stop();
    publish.accept(new Event.Stopped(service.name(), host, n, Instant.now(), result.status()));
  }

  private synchronized boolean isHeld() {
    return state == State.HELD;
  }

  private void readyAgain(int n) {
    CompletableFuture<Void> f;
    synchronized (this) {
      if (n <= readyAgainAfter) {
        return; // the future is for a later incarnation (this one was held meanwhile)
      }
      f = readyAgain;
      readyAgain = null;
    }
    if (f != null) {
      f.complete(null);
    }
  }

  /** Waits for the group's word: true to start the next incarnation, false to end. */
  private boolean awaitResume() throws InterruptedException {
    CompletableFuture<Boolean> f;
    synchronized (this) {
      f = resume;
    }
    if (f == null) {
      throw new IllegalStateException(service.name() + ": waiting for a group that never held it");
    }
    boolean again;
    try {
      again = f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(service.name() + ": the group failed", e.getCause());
    }
    synchronized (this) {
      resume = null;
      if (again) {
        state = State.RUNNING;
      }
    }
    return again;
  }

  // ---- called by the group's coordinator thread ----

  /** Whether its own exit asked for a restart that has not been carried out yet. */
  synchronized boolean isWaitingForRestart() {
    return state == State.WAITING;
  }

  /**
   * Stops its incarnation for a restart of the group (publishing {@link Event.Stopped}); false when
   * it has ended.
   */
  boolean hold() {
    HostProcess p;
    int n;
    synchronized (this) {
      if (state == State.ENDED || state == State.HELD) {
        return false;
      }
      boolean running = state == State.RUNNING;
      state = State.HELD;
      if (!running) {
        return true; // WAITING: its process has exited already; its request is now stale
      }
      resume = new CompletableFuture<>();
      readyAgain = new CompletableFuture<>();
      p = current;
      n = incarnation;
      readyAgainAfter = n;
    }
    if (p != null && p.isAlive()) {
      stopAndPublish(p, n);
    }
    return true;
  }

  /**
   * Lets it go on after {@link #hold} or its own request: {@code again} starts its next
   * incarnation, false ends it. Returns whether it will start again.
   */
  boolean resume(boolean again) {
    CompletableFuture<Boolean> f;
    synchronized (this) {
      if (state != State.WAITING && state != State.HELD) {
        return false;
      }
      f = resume;
    }
    if (f == null) {
      return false;
    }
    f.complete(again);
    return again;
  }

  /** Whether a restart of the group starts it again (not for temporary services, as in OTP). */
  boolean restartsWithGroup() {
    var type = service.restartPolicy().type();
    return type != RestartPolicy.Type.TEMPORARY && type != RestartPolicy.Type.NEVER;
  }

  /** Waits until its next incarnation is ready; false when it ended instead. */
  boolean awaitReadyAgain() throws InterruptedException {
    CompletableFuture<Void> f;
    synchronized (this) {
      f = readyAgain;
    }
    if (f == null) {
      return true; // already ready again
    }
    try {
      f.get();
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Supervisor[" + service.name() + "@" + host + "]";
  }
}
