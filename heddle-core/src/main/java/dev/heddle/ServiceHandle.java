package dev.heddle;

/**
 * A supervised service that has been ready at least once. Thread-safe.
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

  /** Supplies the current incarnation; implemented by the supervisor. */
  @FunctionalInterface
  public interface Current {
    /** The incarnation running now (or the last one, when it has ended). Never blocks. */
    HostProcess current();
  }
}
