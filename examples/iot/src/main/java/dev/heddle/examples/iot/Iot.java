package dev.heddle.examples.iot;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.components.Mqtt;
import dev.heddle.components.Redis;
import dev.heddle.examples.iot.api.ApiMain;
import dev.heddle.examples.iot.auth.AuthMain;
import dev.heddle.examples.iot.bridge.BridgeMain;
import dev.heddle.examples.iot.device.DeviceMain;
import dev.heddle.examples.iot.stats.StatsMain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The start functions of the IoT platform (seed 003): each takes its dependencies as arguments,
 * starts its service under supervision in {@code scope}, returns once it is ready (blocking until
 * then), and returns a record holding what dependants need. Every service is a Java main of this
 * module run as its own process through {@code host}'s agent; listening sockets are made and held
 * by the agent and passed at fd 3.
 */
public final class Iot {
  /** How long a freshly started JVM service may take to be ready (on a busy box). */
  static final Duration READY_LIMIT = Duration.ofSeconds(40);

  /** Always restarted: at most 30 times a minute, 50 ms doubling up to 2 s. */
  static final RestartPolicy RESTART =
      RestartPolicy.permanent()
          .withIntensity(30, Duration.ofMinutes(1))
          .withBackoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2));

  private Iot() {}

  /** The auth service: {@code POST /token} on {@code address}. */
  public record Auth(Host host, InetSocketAddress address, ServiceHandle service) {}

  /** The device-management workers, sharing {@code address} (WebSocket API at {@code /ws}). */
  public record DeviceApi(Host host, InetSocketAddress address, List<ServiceHandle> workers) {
    /** {@code ws://HOST:PORT/ws}. */
    public String uri() {
      return "ws://" + address.getHostString() + ":" + address.getPort() + "/ws";
    }
  }

  /** The device service of one type. */
  public record DeviceService(String type, List<Fleet.Device> devices, ServiceHandle service) {}

  /** A process simulating {@code devices}. */
  public record SimDevices(List<Fleet.Device> devices, ServiceHandle service) {}

  /** The statistics service: {@code GET /stats/DEVICE} on {@code address}. */
  public record Stats(Host host, InetSocketAddress address, ServiceHandle service) {}

  /**
   * Starts the auth service on {@code listener}, signing with {@code secrets.keyFile()} and
   * checking passwords against {@code secrets.usersFile()}; tokens live {@code ttl}.
   */
  public static Auth startAuth(
      Scope scope, Host host, ListeningSocket listener, Secrets secrets, Duration ttl)
      throws InterruptedException {
    Command command =
        JavaCommand.of(AuthMain.class, 64)
            .args(
                "--key-file", secrets.keyFile(),
                "--users", secrets.usersFile(),
                "--ttl-seconds", ttl.toSeconds());
    ServiceHandle s =
        scope.supervise(
            Service.named("auth")
                .on(host)
                .command(command)
                .inherit(listener)
                .restart(RESTART)
                .readyWhen(Readiness.logLine("auth ready", READY_LIMIT)));
    return new Auth(host, tcp(listener), s);
  }

  /**
   * Starts the device service for {@code type}: it registers {@code devices} in {@code redis} and
   * delivers their targets over {@code mqtt}.
   */
  public static DeviceService startDeviceService(
      Scope scope, Host host, String type, List<Fleet.Device> devices, Redis redis, Mqtt mqtt)
      throws InterruptedException {
    String list =
        devices.stream()
            .peek(d -> checkType(d, type))
            .map(d -> d.id() + ":" + d.owner())
            .collect(Collectors.joining(","));
    ServiceHandle s =
        scope.supervise(
            Service.named("devsvc-" + type)
                .on(host)
                .command(
                    JavaCommand.of(BridgeMain.class, 96)
                        .args(
                            "--type",
                            type,
                            "--redis",
                            redis.address() + ":" + redis.port(),
                            "--mqtt",
                            mqtt.uri(),
                            "--devices",
                            list))
                .dependsOn(redis.service(), mqtt.service())
                .restart(RESTART)
                .readyWhen(Readiness.logLine("bridge ready", READY_LIMIT)));
    return new DeviceService(type, List.copyOf(devices), s);
  }

  /**
   * Starts one process (service {@code name}) simulating {@code devices}, connected to {@code
   * mqtt}, each reporting a reading every {@code reportEvery}.
   */
  public static SimDevices startDevices(
      Scope scope,
      Host host,
      String name,
      List<Fleet.Device> devices,
      Mqtt mqtt,
      Duration reportEvery)
      throws InterruptedException {
    String list =
        devices.stream().map(d -> d.id() + ":" + d.type()).collect(Collectors.joining(","));
    ServiceHandle s =
        scope.supervise(
            Service.named(name)
                .on(host)
                .command(
                    JavaCommand.of(DeviceMain.class, 64)
                        .args(
                            "--mqtt", mqtt.uri(),
                            "--devices", list,
                            "--report-ms", reportEvery.toMillis()))
                .dependsOn(mqtt.service())
                .restart(RESTART)
                .readyWhen(Readiness.logLine("devices ready", READY_LIMIT)));
    return new SimDevices(List.copyOf(devices), s);
  }

  /**
   * Starts {@code workers} device-management workers ({@code api-1…}) sharing {@code listener},
   * with their state in {@code redis}, checking tokens with {@code secrets.keyFile()}. Returns once
   * every worker accepts.
   */
  public static DeviceApi startDeviceApi(
      Scope scope,
      Host host,
      ListeningSocket listener,
      int workers,
      Redis redis,
      Secrets secrets,
      List<DeviceService> services,
      int heapMb)
      throws InterruptedException {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, not " + workers);
    }
    List<ServiceHandle> deps = new ArrayList<>(List.of(redis.service()));
    services.forEach(s -> deps.add(s.service()));
    List<ServiceHandle> handles = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      handles.add(
          scope.supervise(
              Service.named("api-" + i)
                  .on(host)
                  .command(
                      JavaCommand.of(ApiMain.class, heapMb)
                          .args(
                              "--name", "api-" + i,
                              "--redis", redis.address() + ":" + redis.port(),
                              "--key-file", secrets.keyFile()))
                  .inherit(listener)
                  .dependsOn(deps.toArray(ServiceHandle[]::new))
                  .restart(RESTART)
                  .stopGrace(Duration.ofSeconds(2))
                  .readyWhen(Readiness.logLine("api ready", READY_LIMIT))));
    }
    return new DeviceApi(host, tcp(listener), List.copyOf(handles));
  }

  /** Starts the statistics service on {@code listener}, fed by {@code redis}. */
  public static Stats startStats(
      Scope scope, Host host, ListeningSocket listener, Redis redis, Secrets secrets)
      throws InterruptedException {
    ServiceHandle s =
        scope.supervise(
            Service.named("stats")
                .on(host)
                .command(
                    JavaCommand.of(StatsMain.class, 64)
                        .args(
                            "--redis",
                            redis.address() + ":" + redis.port(),
                            "--key-file",
                            secrets.keyFile()))
                .inherit(listener)
                .dependsOn(redis.service())
                .restart(RESTART)
                .readyWhen(Readiness.logLine("stats ready", READY_LIMIT)));
    return new Stats(host, tcp(listener), s);
  }

  private static void checkType(Fleet.Device d, String type) {
    if (!d.type().equals(type)) {
      throw new IllegalArgumentException(d.id() + " is a " + d.type() + ", not a " + type);
    }
  }

  private static InetSocketAddress tcp(ListeningSocket listener) {
    return Objects.requireNonNull(listener.tcp(), "the service needs a TCP listening socket");
  }
}
