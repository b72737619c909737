package dev.heddle.examples.orders;

import dev.heddle.Event;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.SocketSpec;
import dev.heddle.console.live.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Host host;
    try {
      host =
          o.handover()
              ? Host.localHandover(state.resolve("agent"))
              : Host.local(state.resolve("agent"));
    } catch (HeddleException e) {
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
    try (host) {
      try {
        Path db = state.resolve("orders.db");
        OrderDb database = Files.exists(db) ? OrderDb.recover(host, db) : OrderDb.make(host, db);
        ListeningSocket listener = host.listen(SocketSpec.tcp("127.0.0.1", o.port()));
        Positiond positiond = Orders.startPositiond(scope, host, state.resolve("positiond"));
        Optional<Audit> audit =
            o.audit()
                ? Optional.of(Orders.startAudit(scope, host, state.resolve("audit")))
                : Optional.empty();
        Orderd orderd =
            Orders.startOrderd(
                scope,
                host,
                positiond,
                listener,
                database,
                audit,
                OrderdOptions.defaults()
                    .withWorkers(o.workers())
                    .withLimit(o.limit())
                    .withExtraArgs(o.orderdArgs()));
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
        out.println(
            "orders: try  bash -c \"exec 3<>/dev/tcp/127.0.0.1/"
                + orderd.address().getPort()
                + "; printf 'BUY AAPL 10 187.5\\nPOSITION AAPL\\n' >&3; head -2 <&3\"");
        if (o.handover()) {
          for (String stopped : host.stopUnadopted()) {
            out.println(
                "orders: stopped " + stopped + ", left by the last run and not started now");
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
      done.countDown();
    }
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
