package dev.heddle.examples.iot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bin/iot}'s command line.
 *
 * @param port the WebSocket API's port
 * @param authPort the auth service's port
 * @param statsPort the statistics service's port
 * @param workers device-management workers
 * @param users 0 for the demo fleet; N for users u1..uN, each with a lamp lamp-uN (the benchmark)
 * @param stateDir where to keep state (empty: a fresh temporary directory)
 * @param repl whether to open a Java shell on the running system
 * @param help whether to print the usage and stop
 */
record IotOptions(
    int port,
    int authPort,
    int statsPort,
    int workers,
    int users,
    Optional<Path> stateDir,
    boolean repl,
    boolean help) {

  static final String USAGE =
      """
      usage: bin/iot [--port N] [--auth-port N] [--stats-port N] [--workers N] [--users N] [--state-dir DIR] [--repl]
        --port N         the WebSocket API (ws://127.0.0.1:N/ws), shared by every worker (default 7100)
        --auth-port N    the auth service, POST /token (default 7101)
        --stats-port N   the statistics service, GET /stats/DEVICE (default 7102)
        --workers N      device-management worker processes, 1..64 (default 2)
        --users N        instead of the demo fleet, users u1..uN each with a lamp lamp-uN, all played
                         by one simulator process (for bench/iot; 1..10000)
        --state-dir DIR  keep Redis, Mosquitto and the secrets there (default: a fresh temporary one)
        --repl           a Java shell on the running system
      """;

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  static IotOptions parse(String[] args) {
    int port = 7100;
    int authPort = 7101;
    int statsPort = 7102;
    int workers = 2;
    int users = 0;
    Optional<Path> state = Optional.empty();
    boolean repl = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return new IotOptions(port, authPort, statsPort, workers, users, state, false, true);
        }
        case "--repl" -> repl = true;
        case "--port" -> port = number(a, value(args, ++i, a), 0, 65535);
        case "--auth-port" -> authPort = number(a, value(args, ++i, a), 0, 65535);
        case "--stats-port" -> statsPort = number(a, value(args, ++i, a), 0, 65535);
        case "--workers" -> workers = number(a, value(args, ++i, a), 1, 64);
        case "--users" -> users = number(a, value(args, ++i, a), 1, 10000);
        case "--state-dir" -> state = Optional.of(Path.of(value(args, ++i, a)));
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    return new IotOptions(port, authPort, statsPort, workers, users, state, repl, false);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static int number(String name, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            name + " must be from " + min + " to " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " wants a number, not '" + v + "'", e);
    }
  }
}
