package dev.heddle.examples.orders;

import dev.heddle.DeployProgress;
import dev.heddle.Event;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.console.live.Console;
import dev.heddle.ssh.Inventory;
import dev.heddle.ssh.SshHosts;
import dev.heddle.ssh.SshTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code bin/orders}: the whole order-entry system on this machine, supervised until Ctrl-C, which
 * stops everything in reverse start order. The system is this method: the same start functions with
 * other arguments make other environments (no audit sink, more workers, a test).
 */
public final class OrdersMain {
  private OrdersMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the system; returns the exit code (2 for bad arguments, before starting anything). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("orders: " + e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    if (o.help()) {
      out.println(Options.USAGE);
      return 0;
    }
    Path state;
    try {
      state =
          o.stateDir().isPresent()
              ? Files.createDirectories(o.stateDir().get()).toAbsolutePath()
              : Files.createTempDirectory("orders-");
    } catch (IOException e) {
      err.println("orders: cannot use the state directory: " + e);
      return 2;
    }
    out.println("orders: state in " + state);
    List<Host> hosts;
    try {
      hosts =
          o.hosts().isEmpty()
              ? List.of(
                  o.handover()
                      ? Host.localHandover(state.resolve("agent"))
                      : Host.local(state.resolve("agent")))
              : connect(o, state, out);
    } catch (HeddleException | IllegalArgumentException e) {
      err.println("orders: " + e.getMessage());
      return 1;
    }
    CountDownLatch done = new CountDownLatch(1);
    Scope scope = Scope.open("orders");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (done.getCount() == 0) {
                    return; // already stopped
                  }
                  out.println("orders: stopping everything (reverse start order)");
                  scope.cancel();
                  try {
                    done.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "orders/shutdown"));
    scope.events(e -> out.println("orders: " + describe(e)));
    @Nullable Console console = null;
    try {
      console = Console.start(scope, "orders", state); // first, so that it sees every event
    } catch (IOException e) {
      err.println("orders: cannot start the console (the system runs without it): " + e);
    }
    try {
      try {
        Orderd orderd =
            o.hosts().isEmpty()
                ? startHere(scope, hosts.getFirst(), o, state, out)
                : startAcross(scope, hosts, o, out);
        out.println(
            "orders: try  bash -c \"exec 3<>/dev/tcp/"
                + orderd.address().getHostString()
                + "/"
                + orderd.address().getPort()
                + "; printf 'BUY AAPL 10 187.5\\nPOSITION AAPL\\n' >&3; head -2 <&3\"");
        if (o.handover()) {
          for (Host host : hosts) {
            for (String stopped : host.stopUnadopted()) {
              out.println(
                  "orders: stopped "
                      + stopped
                      + " on "
                      + host.name()
                      + ", left by the last run and not started now");
            }
          }
          out.println(
              "orders: handover mode: kill this program and run it again with --state-dir "
                  + state
                  + " to take the system over");
        }
        if (console != null) {
          out.println("orders: dashboard " + console.url());
        }
        out.println("orders: Ctrl-C stops everything");
        if (o.repl() && console != null) {
          console.interact(System.in, out);
          out.println("orders: the shell ended; the system runs on until Ctrl-C");
        }
        scope.awaitExit();
        return 0;
      } catch (HeddleException e) {
        if (scope.isCancelled() && done.getCount() == 1 && e.code().equals("INTERRUPTED")) {
          return 0;
        }
        err.println("orders: " + e.getMessage());
        return 1;
      } finally {
        if (console != null) {
          console.close();
        }
        scope.close();
      }
    } finally {
      closeAll(hosts);
      done.countDown();
    }
  }

  /** Closes the hosts at once (each waits for its agent to stop what is left and exit). */
  private static void closeAll(List<Host> hosts) {
    List<Thread> closing = new ArrayList<>();
    for (Host host : hosts) {
      closing.add(Thread.ofVirtual().name("orders/close-" + host.name()).start(host::close));
    }
    for (Thread t : closing) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The whole system on this machine's host. */
  private static Orderd startHere(Scope scope, Host host, Options o, Path state, PrintStream out)
      throws InterruptedException {
    Path db = state.resolve("orders.db");
    OrderDb database = Files.exists(db) ? OrderDb.recover(host, db) : OrderDb.make(host, db);
    ListeningSocket listener = host.listen(SocketSpec.tcp("127.0.0.1", o.port()));
    Positiond positiond = Orders.startPositiond(scope, host, state.resolve("positiond"));
    Optional<Audit> audit =
        o.audit()
            ? Optional.of(Orders.startAudit(scope, host, state.resolve("audit")))
            : Optional.empty();
    Orderd orderd =
        Orders.startOrderd(scope, host, positiond, listener, database, audit, orderdOptions(o));
    out.println(
        "orders: orderd listens on "
            + orderd.address().getHostString()
            + ":"
            + orderd.address().getPort()
            + " ("
            + o.workers()
            + (o.workers() == 1 ? " worker" : " workers")
            + audit.map(a -> ", audit log " + a.log()).orElse(", no audit sink")
            + ")");
    return orderd;
  }

  private static OrderdOptions orderdOptions(Options o) {
    return OrderdOptions.defaults()
        .withWorkers(o.workers())
        .withLimit(o.limit())
        .withExtraArgs(o.orderdArgs());
  }

  /** Connects to the three hosts of {@code --hosts} at once (handover mode: fixed state dirs). */
  private static List<Host> connect(Options o, Path state, PrintStream out) {
    Inventory inventory = Inventory.load();
    List<SshTarget> targets = new ArrayList<>();
    for (String name : o.hosts()) {
      SshTarget t = inventory.target(name, JavaCommand.javaBinary());
      targets.add(o.handover() ? t.stateDir(state.resolve("agent-" + name).toString()) : t);
    }
    Host[] hosts = new Host[targets.size()];
    List<RuntimeException> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      int k = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      SshTarget t = targets.get(k);
                      Host h = o.handover() ? SshHosts.connectHandover(t) : SshHosts.connect(t);
                      synchronized (hosts) {
                        hosts[k] = h;
                      }
                    } catch (RuntimeException e) {
                      failed.add(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failed.isEmpty()) {
      synchronized (hosts) {
        java.util.Arrays.stream(hosts).filter(Objects::nonNull).forEach(Host::close);
      }
      throw failed.getFirst();
    }
    out.println("orders: connected to " + String.join(", ", o.hosts()));
    synchronized (hosts) {
      return List.of(hosts);
    }
  }

  /**
   * The system across three hosts: positiond on the first (with a TCP socket for orderd), orderd on
   * the second (listening on that host's address), a load client on the third.
   */
  private static Orderd startAcross(Scope scope, List<Host> hosts, Options o, PrintStream out)
      throws InterruptedException {
    Inventory inventory = Inventory.load();
    Host p = hosts.get(0);
    Host d = hosts.get(1);
    Host l = hosts.get(2);
    long t0 = System.nanoTime();
    JavaCommand.deployTo(hosts, DeployProgress.printing(out, "orders: deploying to ", 1 << 20));
    out.printf(
        "orders: deployed the services' classpath to %s in %d ms%n",
        String.join(", ", o.hosts()), (System.nanoTime() - t0) / 1_000_000);
    ListeningSocket positiondTcp =
        p.listen(
            SocketSpec.tcp(inventory.address(o.hosts().get(0)), o.handover() ? o.port() + 1 : 0));
    Positiond positiond =
        Orders.startPositiond(scope, p, dataDir(p).resolve("positiond"), Optional.of(positiondTcp));
    Path db = dataDir(d).resolve("orders.db");
    OrderDb database;
    try {
      database = OrderDb.recover(d, db);
    } catch (HeddleException e) {
      database = OrderDb.make(d, db); // a first run: there is none yet
    }
    ListeningSocket listener =
        d.listen(SocketSpec.tcp(inventory.address(o.hosts().get(1)), o.port()));
    Orderd orderd =
        Orders.startOrderd(
            scope, d, positiond, listener, database, Optional.empty(), orderdOptions(o));
    out.println(
        "orders: positiond on "
            + p.name()
            + " (tcp "
            + positiond.tcp().map(a -> a.getHostString() + ":" + a.getPort()).orElse("?")
            + "), orderd on "
            + d.name()
            + " listening on "
            + orderd.address().getHostString()
            + ":"
            + orderd.address().getPort());
    if (o.loadClients() > 0) {
      var _ = Orders.startLoad(scope, l, dataDir(l).resolve("load"), orderd, o.loadClients(), 20);
      out.println(
          "orders: a load client on " + l.name() + " sends orders to orderd (its log: load)");
    }
    return orderd;
  }

  /** Where the services keep their data on {@code host}: next to its agent's state directory. */
  private static Path dataDir(Host host) {
    Path agentState = host.stateDir();
    return agentState.resolveSibling(agentState.getFileName() + "-data");
  }

  private static String describe(Event e) {
    String who = e.service() + "#" + e.incarnation();
    return switch (e) {
      case Event.Started s -> who + " started, pid " + s.pid();
      case Event.Ready r -> who + " ready";
      case Event.Exited x -> who + " " + x.status();
      case Event.RestartScheduled r ->
          who + " restart " + r.attempt() + " in " + r.delay().toMillis() + " ms";
      case Event.Restarted r -> who + " restarting";
      case Event.GaveUp g -> who + " given up: " + g.reason();
      case Event.Stopped s -> who + " stopped (" + s.status() + ")";
    };
  }
}
