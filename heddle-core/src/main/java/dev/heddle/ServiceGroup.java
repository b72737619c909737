package dev.heddle;

import dev.heddle.internal.supervise.Group;
import dev.heddle.internal.supervise.Supervisor;

/**
 * Services supervised together under one {@link Strategy} (an OTP supervisor with children), made
 * by {@link Scope#group}. Each service is a task of the scope, stopped in reverse start order when
 * the scope closes; a service whose policy gives up fails the scope, as with {@link
 * Scope#supervise}.
 *
 * <p>Restarts of the other services caused by a strategy publish {@link Event.Stopped} for the
 * incarnation stopped, then {@link Event.Restarted}, {@link Event.Started} and {@link Event.Ready}
 * for the next; they do not count against those services' restart intensity. A service whose policy
 * is {@link RestartPolicy.Type#TEMPORARY} or {@link RestartPolicy.Type#NEVER} is stopped and not
 * started again (as in OTP). Group restarts happen one at a time. Thread-safe.
 */
public final class ServiceGroup {
  private final Scope scope;
  private final Group group;

  ServiceGroup(Scope scope, String name, Strategy strategy) {
    this.scope = scope;
    this.group = new Group(scope.name() + "/" + name, strategy, scope::start);
  }

  /**
   * Supervises {@code service} in this group and blocks until its first incarnation is ready. Its
   * place in the start order is the order of these calls.
   *
   * @throws HeddleException with code {@code NOT_READY} when the first incarnation is not ready in
   *     time, or the spawn error
   * @throws IllegalStateException when the scope is closed or cancelled
   * @throws InterruptedException when the caller is interrupted while waiting
   */
  public ServiceHandle supervise(Service service) throws InterruptedException {
    Supervisor s = new Supervisor(service, scope::publish, group);
    return scope.register(scope.start(Supervisor.threadName(service, 1), s));
  }

  /** The group's strategy. */
  public Strategy strategy() {
    return group.strategy();
  }

  /** The group's name, {@code <scope>/<name>}. */
  public String name() {
    return group.name();
  }

  @Override
  public String toString() {
    return "ServiceGroup[" + group.name() + ", " + group.strategy() + "]";
  }
}
