package dev.heddle.components;

import dev.heddle.Event;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A scope's events, kept for a test to wait on a restart. */
final class ReadyEvents {
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  ReadyEvents(Scope scope) {
    scope.events(events::add);
  }

  /**
   * Kills {@code service}'s current process with SIGKILL and waits (30 s at most) until its
   * supervisor has started the next incarnation and it is ready.
   */
  void killAndAwaitRestart(ServiceHandle service) throws InterruptedException {
    int next = service.current().incarnation() + 1;
    service.current().signal(Signal.KILL);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e instanceof Event.Ready r
          && r.service().equals(service.name())
          && r.incarnation() == next) {
        return;
      }
    }
    throw new AssertionError(service.name() + "#" + next + " not ready within 30 s");
  }
}
