package dev.heddle.internal.supervise;

import dev.heddle.Scope;
import dev.heddle.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The coordinator of a {@link dev.heddle.ServiceGroup}: carries out the restarts its strategy asks
 * for, one at a time, on its own scope task (a virtual thread named {@code group/<scope>/<name>}).
 * A member whose policy says restart asks it ({@link #requestRestart}); it stops the affected
 * members in reverse start order, lets the member restart, waits until it is ready, then lets the
 * affected members start again in start order, waiting for each to be ready. The task ends when
 * every member has ended and is started again when a member joins after that.
 *
 * <p>Concurrency: {@code this} guards the member list and the task's liveness only; a member's
 * state is guarded by the member ({@link Supervisor}); no lock is held while a process is stopped
 * or awaited.
 */
public final class Group {

  /** How the group starts its coordinator task in the scope ({@code scope::start}). */
  @FunctionalInterface
  public interface Starter {
    /** Starts {@code task} as a scope task named {@code name}; returns once it is ready. */
    void start(String name, Scope.Task<Boolean> task) throws InterruptedException;
  }

  private sealed interface Message {}

  private record Restart(Supervisor member) implements Message {}

  private record Ended(Supervisor member) implements Message {}

  private final String name;
  private final Strategy strategy;
  private final Starter starter;
  private final List<Supervisor> members = new ArrayList<>(); // in start order
  private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
  private boolean coordinating; // a coordinator task runs

  public Group(String name, Strategy strategy, Starter starter) {
    this.name = name;
    this.strategy = strategy;
    this.starter = starter;
  }

  public String name() {
    return name;
  }

  public Strategy strategy() {
    return strategy;
  }

  /** Adds {@code member} at the end of the start order; starts the coordinator when none runs. */
  void join(Supervisor member) throws InterruptedException {
    boolean start;
    synchronized (this) {
      members.add(member);
      start = !coordinating;
      coordinating = true;
    }
    if (start) {
      try {
        starter.start("group/" + name, this::coordinate);
      } catch (RuntimeException | InterruptedException e) {
        synchronized (this) {
          members.remove(member);
          coordinating = false;
        }
        throw e;
      }
    }
  }

  /** Called by a member's thread once its policy said restart and it is waiting. Never blocks. */
  void requestRestart(Supervisor member) {
    inbox.add(new Restart(member));
  }

  /** Called by a member's thread when it ends, whatever the reason. Never blocks. */
  void ended(Supervisor member) {
    inbox.add(new Ended(member));
  }

  private void coordinate(dev.heddle.Ready<Boolean> ready) throws InterruptedException {
    ready.started(true);
    while (true) {
      Message m = inbox.take();
      switch (m) {
        case Ended e -> {
          synchronized (this) {
            members.remove(e.member());
            if (members.isEmpty()) {
              coordinating = false;
              return;
            }
          }
        }
        case Restart r -> restart(r.member());
      }
    }
  }

  private void restart(Supervisor crashed) throws InterruptedException {
    List<Supervisor> affected;
    synchronized (this) {
      int i = members.indexOf(crashed);
      if (i < 0) {
        return;
      }
      affected =
          switch (strategy) {
            case ONE_FOR_ONE -> List.of();
            case REST_FOR_ONE -> new ArrayList<>(members.subList(i + 1, members.size()));
            case ONE_FOR_ALL -> {
              List<Supervisor> all = new ArrayList<>(members);
              all.remove(i);
              yield all;
            }
          };
    }
    if (!crashed.isWaitingForRestart()) {
      return; // stale: a restart of the group already restarted it
    }
    List<Supervisor> held = new ArrayList<>();
    for (Supervisor a : affected.reversed()) {
      if (a.hold()) {
        held.add(a);
      }
    }
    if (!crashed.resume(true) || !crashed.awaitReadyAgain()) {
      return; // it ended (its failure fails the scope, which cancels the members held)
    }
    for (Supervisor a : held.reversed()) { // start order
      if (a.resume(a.restartsWithGroup()) && !a.awaitReadyAgain()) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "Group[" + name + ", " + strategy + "]";
  }
}
