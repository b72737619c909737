package dev.heddle.examples.orders;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.examples.orders.client.LoadMain;
import dev.heddle.examples.orders.orderd.OrderdMain;
import dev.heddle.examples.orders.positiond.PositiondMain;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The start functions of the order-entry system (seed 000): each takes its dependencies as
 * arguments, starts its service under supervision in {@code scope}, returns once the service is
 * ready, and returns a record holding what dependants need. All block while starting.
 */
public final class Orders {
  /**
   * How long a freshly started service may take to be ready (JVM start included, on a busy box).
   */
  static final Duration READY_LIMIT = Duration.ofSeconds(30);

  private Orders() {}

  /**
   * Starts positiond on {@code host}, keeping its data under {@code workdir} (which survives its
   * restarts). Always restarted (at most 20 times a minute, 50 ms doubling up to 2 s).
   *
   * @throws dev.heddle.HeddleException when it does not become ready
   */
  public static Positiond startPositiond(Scope scope, Host host, Path workdir)
      throws InterruptedException {
    return startPositiond(scope, host, workdir, Optional.empty());
  }

  /**
   * As {@link #startPositiond(Scope, Host, Path)}, also answering on {@code tcp} (a TCP listening
   * socket on {@code host}, held by its agent), so that an orderd on another host can use it.
   */
  public static Positiond startPositiond(
      Scope scope, Host host, Path workdir, Optional<ListeningSocket> tcp)
      throws InterruptedException {
    host.mkdirs(workdir);
    Service spec =
        Service.named("positiond")
            .on(host)
            .command(JavaCommand.of(host, PositiondMain.class, workdir).args("--workdir", workdir));
    if (tcp.isPresent()) {
      if (!tcp.get().host().equals(host.name()) || tcp.get().tcp() == null) {
        throw new IllegalArgumentException(
            "positiond's TCP socket must be a TCP listening socket on its own host '"
                + host.name()
                + "', got one on '"
                + tcp.get().host()
                + "'");
      }
      spec = spec.inherit(tcp.get());
    }
    ServiceHandle service =
        scope.supervise(
            spec.restart(
                    RestartPolicy.permanent()
                        .withIntensity(20, Duration.ofMinutes(1))
                        .withBackoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)))
                .readyWhen(Readiness.logLine("positiond ready", READY_LIMIT)));
    return new Positiond(
        host,
        workdir.resolve("positiond.sock"),
        workdir,
        service,
        tcp.map(t -> Objects.requireNonNull(t.tcp())));
  }

  /**
   * Starts the audit sink on {@code host}: a Python 3 service that appends each line it receives on
   * {@code workdir/audit.sock} to {@code workdir/audit.log}.
   */
  public static Audit startAudit(Scope scope, Host host, Path workdir) throws InterruptedException {
    host.mkdirs(workdir);
    ServiceHandle service =
        scope.supervise(
            Service.named("audit")
                .on(host)
                .command(Command.of("python3", "-u", "-c", AUDIT_PY, workdir.toString()))
                .restart(RestartPolicy.permanent())
                .readyWhen(Readiness.logLine("audit ready", READY_LIMIT)));
    return new Audit(host, workdir.resolve("audit.sock"), workdir.resolve("audit.log"), service);
  }

  /**
   * {@link #startOrderd(Scope, Host, Positiond, ListeningSocket, OrderDb, Optional, OrderdOptions)}
   * without audit, with {@link OrderdOptions#defaults()}.
   */
  public static Orderd startOrderd(
      Scope scope, Host host, Positiond positiond, ListeningSocket listener, OrderDb database)
      throws InterruptedException {
    return startOrderd(
        scope, host, positiond, listener, database, Optional.empty(), OrderdOptions.defaults());
  }

  /**
   * Starts orderd on {@code host}: {@code options.workers()} processes sharing {@code listener}
   * (held by the host's agent, passed at fd 3; orderd never binds), storing orders in {@code
   * database} and keeping {@code positiond} up to date; each accepted order is also sent to {@code
   * audit} when there is one. Returns once every worker accepts.
   *
   * @throws IllegalArgumentException when the listener, positiond or database is on another host
   * @throws dev.heddle.HeddleException when a worker does not become ready
   */
  public static Orderd startOrderd(
      Scope scope,
      Host host,
      Positiond positiond,
      ListeningSocket listener,
      OrderDb database,
      Optional<Audit> audit,
      OrderdOptions options)
      throws InterruptedException {
    sameHost(host, database.host(), "the database");
    String positiondAddress = positiond.addressFor(host);
    if (!listener.host().equals(host.name())) {
      throw new IllegalArgumentException(
          "the listening socket is on host '"
              + listener.host()
              + "', orderd on '"
              + host.name()
              + "': a socket can only be inherited on its own host");
    }
    Path dbDir = Objects.requireNonNull(database.path().toAbsolutePath().getParent());
    Command command =
        JavaCommand.of(host, OrderdMain.class, dbDir)
            .args(
                "--db", database.path().toAbsolutePath(),
                "--positiond", positiondAddress,
                "--limit", options.limit(),
                "--positiond-patience-ms", options.positiondPatience().toMillis());
    List<ServiceHandle> dependencies = new ArrayList<>(List.of(positiond.service()));
    if (audit.isPresent()) {
      command = command.args("--audit", audit.get().socket());
      dependencies.add(audit.get().service());
    }
    command = command.args(options.extraArgs().toArray());
    List<ServiceHandle> workers = new ArrayList<>();
    for (int i = 1; i <= options.workers(); i++) {
      workers.add(
          scope.supervise(
              Service.named("orderd-" + i)
                  .on(host)
                  .command(command)
                  .inherit(listener)
                  .dependsOn(dependencies.toArray(ServiceHandle[]::new))
                  .restart(options.restart())
                  .stopGrace(Duration.ofSeconds(2))
                  .readyWhen(Readiness.logLine("orderd ready", READY_LIMIT))));
    }
    InetSocketAddress address =
        Objects.requireNonNull(listener.tcp(), "orderd needs a TCP listening socket");
    return new Orderd(host, address, workers);
  }

  /**
   * Starts a load client on {@code host} (its scratch files under {@code workdir}) sending orders
   * to {@code orderd} over {@code clients} connections (each pausing {@code pauseMillis} between
   * orders) until stopped; ready at its first acknowledged order. It prints its counts every two
   * seconds (see {@code LoadMain}).
   */
  public static ServiceHandle startLoad(
      Scope scope, Host host, Path workdir, Orderd orderd, int clients, long pauseMillis)
      throws InterruptedException {
    Path dir = host.mkdirs(workdir);
    return scope.supervise(
        Service.named("load")
            .on(host)
            .command(
                JavaCommand.of(host, LoadMain.class, dir)
                    .args(
                        "--target",
                        orderd.address().getHostString() + ":" + orderd.address().getPort(),
                        "--clients",
                        clients,
                        "--pause-ms",
                        pauseMillis))
            .dependsOn(orderd.workers().toArray(ServiceHandle[]::new))
            .restart(RestartPolicy.permanent())
            .readyWhen(Readiness.logLine("load ready", READY_LIMIT)));
  }

  private static void sameHost(Host host, Host other, String what) {
    if (!host.name().equals(other.name())) {
      throw new IllegalArgumentException(
          what
              + " is on host '"
              + other.name()
              + "', orderd on '"
              + host.name()
              + "': start them on the same host");
    }
  }

  /** The audit sink: a line in, a line appended (and flushed), per connection thread. */
  private static final String AUDIT_PY =
      """
      import os, socket, sys, threading
      workdir = sys.argv[1]
      path = os.path.join(workdir, "audit.sock")
      log = open(os.path.join(workdir, "audit.log"), "ab")
      lock = threading.Lock()
      try:
          os.unlink(path)
      except FileNotFoundError:
          pass
      server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      server.bind(path)
      server.listen(64)
      print("audit ready", flush=True)
      def serve(conn):
          with conn, conn.makefile("rb") as lines:
              for line in lines:
                  with lock:
                      log.write(line)
                      log.flush()
      while True:
          conn, _ = server.accept()
          threading.Thread(target=serve, args=(conn,), daemon=True).start()
      """;
}
