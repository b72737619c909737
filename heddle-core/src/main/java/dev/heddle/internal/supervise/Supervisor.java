package dev.heddle.internal.supervise;

import dev.heddle.Event;
import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.Ready;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.time.Instant;
import java.util.Random;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs one supervised service inside a scope task: spawns an incarnation, waits for readiness,
 * watches its exit, and asks {@link RestartDecider} what next. Cancellation (an interrupt) stops
 * the current incarnation. Its thread is renamed {@code supervise/<name>@<host>#<incarnation>}.
 */
public final class Supervisor implements Scope.Task<ServiceHandle>, ServiceHandle.Current {
  private final Service service;
  private final Consumer<Event> publish;
  private final String host;
  private volatile @Nullable HostProcess current;

  public Supervisor(Service service, Consumer<Event> publish) {
    this.service = service;
    this.publish = publish;
    this.host = service.host().name();
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
  public void run(Ready<ServiceHandle> ready) throws Exception {
    RestartDecider decider = new RestartDecider(service.restartPolicy(), new Random());
    ProcessSpec spec = service.spec();
    boolean reported = false;
    for (int n = 1; ; n++) {
      Thread.currentThread().setName(threadName(service, n));
      HostProcess p = service.host().spawn(spec);
      current = p;
      publish.accept(new Event.Started(service.name(), host, n, Instant.now(), p.pid()));
      ExitStatus status;
      try {
        service.readiness().await(p, spec);
        publish.accept(new Event.Ready(service.name(), host, n, Instant.now()));
        if (!reported) {
          reported = true;
          ready.started(new ServiceHandle(service.name(), service.host(), this));
        }
        status = p.awaitExit();
      } catch (InterruptedException | RuntimeException e) {
        if (p.isAlive()) {
          var result = p.stop();
          publish.accept(
              new Event.Stopped(service.name(), host, n, Instant.now(), result.status()));
        }
        throw e;
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
          Thread.sleep(r.delay());
          publish.accept(new Event.Restarted(service.name(), host, n + 1, Instant.now()));
        }
      }
    }
  }
}
