package dev.heddle.examples.iot;

import dev.heddle.Event;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.console.live.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code bin/iot}: the whole IoT platform on this machine, supervised until Ctrl-C, which stops
 * everything in reverse start order. The system is {@link Platform#start}; this adds the command
 * line, the demo users and the console.
 */
public final class IotMain {
  private IotMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the platform; returns the exit code (2 for bad arguments, before starting anything). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    IotOptions o;
    try {
      o = IotOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("iot: " + e.getMessage());
      err.println(IotOptions.USAGE);
      return 2;
    }
    if (o.help()) {
      out.println(IotOptions.USAGE);
      return 0;
    }
    Fleet fleet = o.users() == 0 ? Fleet.demo() : Fleet.lamps(o.users());
    Path state;
    Map<String, String> passwords = new LinkedHashMap<>();
    try {
      state =
          o.stateDir().isPresent()
              ? Files.createDirectories(o.stateDir().get()).toAbsolutePath()
              : Files.createTempDirectory("iot-");
      // Mosquitto drops to its own OS user when run as root: it must reach its directory
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx--x--x"));
      for (String user : fleet.users()) {
        passwords.put(user, Secrets.randomPassword());
      }
      Path file = state.resolve("passwords");
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      StringBuilder text = new StringBuilder();
      passwords.forEach((u, p) -> text.append(u).append(' ').append(p).append('\n'));
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("iot: cannot use the state directory: " + e);
      return 2;
    }
    out.println("iot: state in " + state);
    Host host;
    try {
      host = Host.local(state.resolve("agent"));
    } catch (HeddleException e) {
      err.println("iot: " + e.getMessage());
      return 1;
    }
    CountDownLatch done = new CountDownLatch(1);
    Scope scope = Scope.open("iot");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (done.getCount() == 0) {
                    return;
                  }
                  out.println("iot: stopping everything (reverse start order)");
                  scope.cancel();
                  try {
                    done.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "iot/shutdown"));
    scope.events(e -> out.println("iot: " + describe(e)));
    @Nullable Console console = null;
    try {
      console = Console.start(scope, "iot", state);
    } catch (IOException e) {
      err.println("iot: cannot start the console (the system runs without it): " + e);
    }
    try (host) {
      try {
        Platform p =
            Platform.start(
                scope,
                host,
                state,
                (o.users() == 0
                        ? Platform.Options.defaults(passwords)
                        : Platform.Options.defaults(passwords)
                            .withFleet(fleet, fleet.devices().size(), Duration.ofMinutes(10))
                            .withWorkerHeapMb(384))
                    .withWorkers(o.workers())
                    .withPorts(o.port(), o.authPort(), o.statsPort()));
        out.println(
            "iot: WebSocket API "
                + p.api().uri()
                + " ("
                + o.workers()
                + " workers), auth http://127.0.0.1:"
                + p.auth().address().getPort()
                + "/token, statistics http://127.0.0.1:"
                + p.stats().address().getPort()
                + "/stats/DEVICE");
        out.println(
            "iot: users "
                + String.join(", ", passwords.keySet())
                + "; their passwords are in "
                + state.resolve("passwords")
                + "; devices "
                + (fleet.devices().size() <= 10
                    ? fleet.devices().toString()
                    : fleet.devices().size() + " lamps"));
        if (console != null) {
          out.println("iot: dashboard " + console.url());
        }
        out.println("iot: Ctrl-C stops everything");
        if (o.repl() && console != null) {
          console.interact(System.in, out);
          out.println("iot: the shell ended; the system runs on until Ctrl-C");
        }
        scope.awaitExit();
        return 0;
      } catch (HeddleException e) {
        if (scope.isCancelled() && done.getCount() == 1 && e.code().equals("INTERRUPTED")) {
          return 0;
        }
        err.println("iot: " + e.getMessage());
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
