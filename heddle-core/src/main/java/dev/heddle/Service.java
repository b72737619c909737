package dev.heddle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to supervise: a named command on a host, the listening sockets it inherits, the services it
 * depends on, its restart policy, readiness check and stop grace. Immutable: each method returns a
 * changed copy. Start it with {@link Scope#supervise(Service)}.
 */
public final class Service {
  private final String name;
  private final @Nullable Host host;
  private final @Nullable Command command;
  private final List<ListeningSocket> sockets;
  private final List<ServiceHandle> dependsOn;
  private final RestartPolicy restart;
  private final Readiness readiness;
  private final Duration stopGrace;

  private Service(
      String name,
      @Nullable Host host,
      @Nullable Command command,
      List<ListeningSocket> sockets,
      List<ServiceHandle> dependsOn,
      RestartPolicy restart,
      Readiness readiness,
      Duration stopGrace) {
    this.name = name;
    this.host = host;
    this.command = command;
    this.sockets = List.copyOf(sockets);
    this.dependsOn = List.copyOf(dependsOn);
    this.restart = restart;
    this.readiness = readiness;
    this.stopGrace = stopGrace;
  }

  /**
   * A service named {@code name}; defaults: {@link RestartPolicy#never()}, ready once spawned, 5 s
   * grace.
   */
  public static Service named(String name) {
    return new Service(
        name,
        null,
        null,
        List.of(),
        List.of(),
        RestartPolicy.never(),
        Readiness.spawned(),
        Duration.ofSeconds(5));
  }

  /** Runs on {@code on}. */
  public Service on(Host on) {
    return new Service(name, on, command, sockets, dependsOn, restart, readiness, stopGrace);
  }

  /** Runs {@code cmd}. */
  public Service command(Command cmd) {
    return new Service(name, host, cmd, sockets, dependsOn, restart, readiness, stopGrace);
  }

  /** Passes {@code socket} to every incarnation (the next fd from 3 up). */
  public Service inherit(ListeningSocket socket) {
    List<ListeningSocket> more = new ArrayList<>(sockets);
    more.add(socket);
    return new Service(name, host, command, more, dependsOn, restart, readiness, stopGrace);
  }

  /** Records that it needs {@code others} (already started, hence ready); stops before them. */
  public Service dependsOn(ServiceHandle... others) {
    List<ServiceHandle> more = new ArrayList<>(dependsOn);
    more.addAll(List.of(others));
    return new Service(name, host, command, sockets, more, restart, readiness, stopGrace);
  }

  /** Restarts according to {@code policy}. */
  public Service restart(RestartPolicy policy) {
    return new Service(name, host, command, sockets, dependsOn, policy, readiness, stopGrace);
  }

  /** Each incarnation is ready when {@code check} passes. */
  public Service readyWhen(Readiness check) {
    return new Service(name, host, command, sockets, dependsOn, restart, check, stopGrace);
  }

  /** How long a stop waits after SIGTERM before it kills the tree. */
  public Service stopGrace(Duration grace) {
    return new Service(name, host, command, sockets, dependsOn, restart, readiness, grace);
  }

  /** Its name. */
  public String name() {
    return name;
  }

  /**
   * Its host.
   *
   * @throws IllegalStateException when {@link #on(Host)} was not called
   */
  public Host host() {
    return Objects.requireNonNull(host, () -> "service '" + name + "' has no host: call on(host)");
  }

  /** The process spec of each incarnation. */
  public ProcessSpec spec() {
    Command cmd =
        Objects.requireNonNull(
            command, () -> "service '" + name + "' has no command: call command(...)");
    ProcessSpec.Builder b = ProcessSpec.builder(name, cmd).stopGrace(stopGrace);
    sockets.forEach(b::inherit);
    // a restarted service's next incarnation waits ready on its host: a restart is one write
    b.keepSpare(
        restart.type() == RestartPolicy.Type.PERMANENT
            || restart.type() == RestartPolicy.Type.TRANSIENT);
    return b.build();
  }

  /** The services it depends on. */
  public List<ServiceHandle> dependencies() {
    return dependsOn;
  }

  /** Its restart policy. */
  public RestartPolicy restartPolicy() {
    return restart;
  }

  /** Its readiness check. */
  public Readiness readiness() {
    return readiness;
  }
}
