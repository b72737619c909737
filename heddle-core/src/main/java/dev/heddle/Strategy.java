package dev.heddle;

/**
 * What a {@link ServiceGroup} restarts when one of its services exits and its {@link RestartPolicy}
 * says restart (Erlang/OTP's supervisor strategies). "Start order" is the order of the group's
 * {@link ServiceGroup#supervise} calls, which is dependency order: a service can only depend on
 * services already started.
 */
public enum Strategy {
  /** Only the service that exited is restarted (what {@link Scope#supervise} does). */
  ONE_FOR_ONE,
  /**
   * Every other service of the group is stopped (in reverse start order), the one that exited is
   * restarted, then the others are started again in start order, each awaited until ready.
   */
  ONE_FOR_ALL,
  /**
   * The services started after the one that exited (its dependents, directly or not) are stopped in
   * reverse start order; it is restarted; then they are started again in start order, each awaited
   * until ready. Services started before it are not touched.
   */
  REST_FOR_ONE
}
