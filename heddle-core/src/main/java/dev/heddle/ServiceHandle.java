package dev.heddle;

/**
 * A supervised service that has been ready at least once. Thread-safe.
 *
 * <p>Besides reading its current incarnation, an operator (the console, a REPL, a test) can {@link
 * #restart()} it, {@link #stop()} it (it stays stopped, its supervisor waiting) and {@link
 * #start()} it again. These act on this service only, whatever its group's strategy, and do not
 * count against its restart intensity.
 *
 * @param name the service's name
 * @param host where it runs
 * @param supervisor the scope task that supervises it (its thread is named {@code
 *     supervise/<name>@<host>#<incarnation>})
 */
public record ServiceHandle(String name, Host host, Current supervisor) {

  /** The incarnation running now, as the supervisor sees it. */
  public HostProcess current() {
    return supervisor.current();
  }

  /** What it was started from: its command, dependencies, policy and readiness. */
  public Service service() {
    return supervisor.service();
  }

  /**
   * Stops the current incarnation (publishing {@link Event.Stopped}) and starts the next; returns
   * once that one is ready.
   *
   * @throws IllegalStateException when the service has ended (its supervisor gave up, or its scope
   *     closed) or is being restarted by its group
   * @throws HeddleException when the new incarnation fails (the scope fails too)
   * @throws InterruptedException when the caller is interrupted while waiting (the restart goes on)
   */
  public void restart() throws InterruptedException {
    supervisor.restart();
  }

  /**
   * Stops the current incarnation and keeps the service stopped until {@link #start()}; its
   * supervisor waits meanwhile. Blocks while the process stops (its stop grace at most).
   *
   * @throws IllegalStateException when the service has ended or is already stopped
   */
  public void stop() {
    supervisor.stop();
  }

  /**
   * Starts a service stopped with {@link #stop()}; returns once its new incarnation is ready.
   *
   * @throws IllegalStateException when it is not stopped
   * @throws InterruptedException when the caller is interrupted while waiting
   */
  public void start() throws InterruptedException {
    supervisor.start();
  }

  /** Whether it was stopped with {@link #stop()} and not started since. Never blocks. */
  public boolean isStopped() {
    return supervisor.isStopped();
  }

  /** The supervisor's side of a handle; implemented by Heddle's supervisor. */
  public interface Current {
    /** The incarnation running now (or the last one, when it has ended). Never blocks. */
    HostProcess current();

    /** What the service was started from. */
    Service service();

    /** See {@link ServiceHandle#restart()}. */
    void restart() throws InterruptedException;

    /** See {@link ServiceHandle#stop()}. */
    void stop();

    /** See {@link ServiceHandle#start()}. */
    void start() throws InterruptedException;

    /** See {@link ServiceHandle#isStopped()}. */
    boolean isStopped();
  }
}
