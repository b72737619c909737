package dev.heddle.examples.iot;

import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.components.Mosquitto;
import dev.heddle.components.Mqtt;
import dev.heddle.components.Redis;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole platform, started by {@link #start}: what {@code bin/iot}, the tests and the benchmark
 * run, with their own {@link Options}.
 */
public record Platform(
    Redis redis,
    Mqtt mqtt,
    Secrets secrets,
    Iot.Auth auth,
    List<Iot.DeviceService> deviceServices,
    List<Iot.SimDevices> devices,
    Iot.DeviceApi api,
    Iot.Stats stats) {

  /**
   * What to start.
   *
   * @param fleet the devices and their owners
   * @param passwords each user's password (the users of the fleet, at least)
   * @param workers device-management workers
   * @param apiPort the WebSocket API's port (0: any free one)
   * @param authPort the auth service's port (0: any)
   * @param statsPort the statistics service's port (0: any)
   * @param reportEvery how often each device reports a reading
   * @param devicesPerProcess how many devices one simulator process plays
   * @param tokenTtl how long a token lives
   * @param workerHeapMb each worker's maximum heap
   */
  public record Options(
      Fleet fleet,
      Map<String, String> passwords,
      int workers,
      int apiPort,
      int authPort,
      int statsPort,
      Duration reportEvery,
      int devicesPerProcess,
      Duration tokenTtl,
      int workerHeapMb) {

    /** The demo fleet with the given passwords, 2 workers, any ports. */
    public static Options defaults(Map<String, String> passwords) {
      return new Options(
          Fleet.demo(), passwords, 2, 0, 0, 0, Duration.ofSeconds(1), 1, Duration.ofHours(1), 128);
    }

    public Options withWorkers(int n) {
      return new Options(
          fleet,
          passwords,
          n,
          apiPort,
          authPort,
          statsPort,
          reportEvery,
          devicesPerProcess,
          tokenTtl,
          workerHeapMb);
    }

    public Options withPorts(int api, int auth, int stats) {
      return new Options(
          fleet,
          passwords,
          workers,
          api,
          auth,
          stats,
          reportEvery,
          devicesPerProcess,
          tokenTtl,
          workerHeapMb);
    }

    public Options withFleet(Fleet f, int perProcess, Duration report) {
      return new Options(
          f,
          passwords,
          workers,
          apiPort,
          authPort,
          statsPort,
          report,
          perProcess,
          tokenTtl,
          workerHeapMb);
    }

    public Options withTokenTtl(Duration ttl) {
      return new Options(
          fleet,
          passwords,
          workers,
          apiPort,
          authPort,
          statsPort,
          reportEvery,
          devicesPerProcess,
          ttl,
          workerHeapMb);
    }

    public Options withWorkerHeapMb(int mb) {
      return new Options(
          fleet,
          passwords,
          workers,
          apiPort,
          authPort,
          statsPort,
          reportEvery,
          devicesPerProcess,
          tokenTtl,
          mb);
    }
  }

  /**
   * Starts everything under {@code dir} on {@code host}, in dependency order: Redis (append-only
   * file fsynced before every reply) and Mosquitto, auth, a device service per type (which
   * registers the fleet), the simulated devices, the workers, statistics. Blocks until all are
   * ready.
   */
  public static Platform start(Scope scope, Host host, Path dir, Options o)
      throws InterruptedException, IOException {
    Redis redis =
        Redis.start(
            scope, host, dir.resolve("redis"), Redis.BINARY, List.of("--appendfsync", "always"));
    Mqtt mqtt = Mosquitto.start(scope, host, dir.resolve("mosquitto"));
    Secrets secrets = Secrets.make(dir.resolve("secrets"), o.passwords());
    Iot.Auth auth =
        Iot.startAuth(
            scope,
            host,
            host.listen(SocketSpec.tcp("127.0.0.1", o.authPort())),
            secrets,
            o.tokenTtl());
    List<Iot.DeviceService> services = new ArrayList<>();
    for (var e : o.fleet().byType().entrySet()) {
      services.add(Iot.startDeviceService(scope, host, e.getKey(), e.getValue(), redis, mqtt));
    }
    List<Iot.SimDevices> sims = new ArrayList<>();
    List<Fleet.Device> all = o.fleet().devices();
    for (int i = 0; i < all.size(); i += o.devicesPerProcess()) {
      List<Fleet.Device> part = all.subList(i, Math.min(all.size(), i + o.devicesPerProcess()));
      String name =
          o.devicesPerProcess() == 1
              ? "device-" + part.get(0).id()
              : "devices-" + (i / o.devicesPerProcess() + 1);
      sims.add(Iot.startDevices(scope, host, name, part, mqtt, o.reportEvery()));
    }
    Iot.DeviceApi api =
        Iot.startDeviceApi(
            scope,
            host,
            host.listen(SocketSpec.tcp("127.0.0.1", o.apiPort())),
            o.workers(),
            redis,
            secrets,
            services,
            o.workerHeapMb());
    Iot.Stats stats =
        Iot.startStats(
            scope, host, host.listen(SocketSpec.tcp("127.0.0.1", o.statsPort())), redis, secrets);
    return new Platform(redis, mqtt, secrets, auth, services, sims, api, stats);
  }
}
