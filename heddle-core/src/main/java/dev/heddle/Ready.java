package dev.heddle;

/**
 * How a task started with {@link Scope#start(String, Scope.Task)} reports that it is ready, with
 * the value {@code start} returns (trio's {@code task_status.started}). Thread-safe; call it once.
 *
 * @param <T> what the task hands to whoever started it (a handle record, a port, ...)
 */
@FunctionalInterface
public interface Ready<T> {

  /**
   * Reports readiness: the matching {@code start} call returns {@code value}. Never blocks.
   *
   * @throws IllegalStateException when called a second time
   */
  void started(T value);
}
