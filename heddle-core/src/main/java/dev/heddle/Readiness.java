package dev.heddle;

import dev.heddle.internal.agent.AgentReadiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a supervisor knows a freshly spawned incarnation is ready. Checks run on the supervisor's
 * virtual thread; implementations must be thread-safe and respond to interrupts.
 */
@FunctionalInterface
public interface Readiness {

  /**
   * Blocks until {@code process} is ready.
   *
   * @throws HeddleException with code {@code NOT_READY} when the limit passes or the process exits
   *     first, with the message of {@link #notReady}
   * @throws InterruptedException when the supervisor is cancelled meanwhile
   */
  void await(HostProcess process, ProcessSpec spec) throws InterruptedException;

  /** Ready once spawned: right for a service that inherits its listening socket. */
  static Readiness spawned() {
    return (p, s) -> {};
  }

  /** Ready once {@code host:port} accepts a TCP connection from this JVM, within {@code limit}. */
  static Readiness tcpPort(String host, int port, Duration limit) {
    return probe(
        "TCP port " + host + ":" + port + " to accept a connection",
        limit,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  /**
   * Ready once {@code check} returns true (polled every 20 ms on this JVM), within {@code limit}.
   */
  static Readiness probe(String expected, Duration limit, BooleanSupplier check) {
    return (p, spec) -> {
      long start = System.nanoTime();
      long deadline = start + limit.toNanos();
      while (!check.getAsBoolean()) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          Duration waited = Duration.ofNanos(System.nanoTime() - start);
          throw new HeddleException(
              p.host().name(),
              p.service(),
              "NOT_READY",
              notReady(p, spec, expected, limit, waited, p.tail(LogStream.STDERR, 20)));
        }
        Thread.sleep(20);
      }
    };
  }

  /**
   * Ready once {@code path} exists on the process's host (checked by its agent), within {@code
   * limit}.
   */
  static Readiness fileExists(Path path, Duration limit) {
    return viaAgent(
        "file " + path + " to exist", limit, Map.of("kind", "file", "path", path.toString()));
  }

  /**
   * Ready once a line of the process's stdout matches the regular expression {@code regex} (checked
   * by its agent), within {@code limit}.
   */
  static Readiness logLine(String regex, Duration limit) {
    return viaAgent(
        "a stdout line matching /" + regex + "/",
        limit,
        Map.of("kind", "log", "pattern", regex, "stream", "stdout"));
  }

  /** A check the process's agent runs on its own host ({@code awaitReady}). */
  private static Readiness viaAgent(String expected, Duration limit, Map<String, Object> probe) {
    return (p, spec) -> {
      long start = System.nanoTime();
      var failed = AgentReadiness.await(p, probe, limit);
      if (failed.isPresent()) {
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        String said = failed.get();
        p.awaitExit(Duration.ofMillis(50)); // lets an exit that ended the wait be reported
        throw new HeddleException(
            p.host().name(),
            p.service(),
            "NOT_READY",
            notReady(
                p,
                spec,
                said.startsWith(expected) ? said : expected,
                limit,
                waited,
                p.tail(LogStream.STDERR, 20)));
      }
    };
  }

  /**
   * Ready once an HTTP GET of {@code path} on {@code host:port} answers a 2xx status, within {@code
   * limit}. The agent on the process's host sends the requests, so a service bound to that host's
   * loopback is probeable from anywhere; no redirect is followed. A timeout's message gives the
   * last status or error seen.
   *
   * @throws IllegalArgumentException when {@code path} does not start with {@code /} or the port is
   *     not 1–65535
   */
  static Readiness http(String host, int port, String path, Duration limit) {
    return http(host, port, path, 0, limit);
  }

  /**
   * Like {@link #http(String, int, String, Duration)}, ready only on exactly {@code status}.
   *
   * @throws IllegalArgumentException when {@code path} does not start with {@code /}, the port is
   *     not 1–65535, or {@code status} is not 100–599
   */
  static Readiness http(String host, int port, String path, int status, Duration limit) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "HTTP readiness path must start with '/', got '" + path + "' (e.g. \"/health\")");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("HTTP readiness port must be 1-65535, got " + port);
    }
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException(
          "HTTP readiness status must be 100-599 (or use the 2xx form), got " + status);
    }
    String url = "http://" + host + ":" + port + path;
    return viaAgent(
        "HTTP GET " + url + " to answer " + (status == 0 ? "2xx" : String.valueOf(status)),
        limit,
        Map.of("kind", "http", "host", host, "port", port, "path", path, "status", status));
  }

  /**
   * The STYLE.md message for a readiness failure: what happened, what was expected, the limit and
   * the time waited, the command, and the last lines of stderr. Pure; never blocks.
   */
  static String notReady(
      HostProcess p,
      ProcessSpec spec,
      String expected,
      Duration limit,
      Duration waited,
      List<String> stderrTail) {
    @Nullable ExitStatus exit = p.onExit().isDone() ? p.onExit().join() : null;
    String what =
        exit == null
            ? "did not become ready within " + limit
            : "exited (" + exit + ") before it was ready";
    StringBuilder b =
        new StringBuilder()
            .append(p.service())
            .append(" on ")
            .append(p.host().name())
            .append(" ")
            .append(what)
            .append(": expected ")
            .append(expected)
            .append(", waited ")
            .append(waited.toMillis())
            .append(" ms (limit ")
            .append(limit.toMillis())
            .append(" ms)\n  command: ")
            .append(
                String.join(" ", spec.command().program(), String.join(" ", spec.command().args())))
            .append("\n  last ")
            .append(stderrTail.size())
            .append(" lines of stderr:");
    stderrTail.forEach(l -> b.append("\n    ").append(l));
    return b.toString();
  }
}
