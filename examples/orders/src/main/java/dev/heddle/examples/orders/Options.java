package dev.heddle.examples.orders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/orders}'s command line. {@link #parse} checks everything before anything starts.
 *
 * @param port where orderd listens on 127.0.0.1 (0 = any free port)
 * @param stateDir where the state goes; empty = a fresh temporary directory
 * @param workers orderd worker processes
 * @param limit the position limit per symbol
 * @param audit whether to start the audit sink (orderd's optional dependency)
 * @param orderdArgs more arguments for orderd ({@code --orderd-arg}, repeatable)
 * @param hosts {@code --hosts P,O,L}: positiond on P, orderd on O, a load client on L (SSH hosts);
 *     empty = everything on this machine
 * @param loadClients connections of the load client on L with {@code --hosts} (0 = no load client)
 * @param help whether to print the usage and exit
 */
record Options(
    int port,
    Optional<Path> stateDir,
    int workers,
    long limit,
    boolean audit,
    boolean repl,
    boolean handover,
    List<String> orderdArgs,
    List<String> hosts,
    int loadClients,
    boolean help) {

  static final String USAGE =
      """
      usage: bin/orders [--port N] [--state-dir DIR] [--workers N] [--limit N] [--no-audit] [--repl]
                        [--handover] [--orderd-arg ARG]… [--hosts P,O,L]
                        [--load-clients N]
        --port N        orderd listens on 127.0.0.1:N (default 7000; 0 = any free port)
        --state-dir DIR keep the database, positions and logs in DIR and reuse them next time
                        (default: a fresh temporary directory, printed at start)
        --workers N     orderd processes sharing the listening socket, 1..64 (default 1)
        --limit N       the largest absolute position per symbol (default 1000000)
        --no-audit      run without the audit sink (orderd's optional dependency)
        --repl          a Java shell on this terminal with the live system bound (scope, host,
                        positiond, orderd_1, …); the system runs on after /exit until Ctrl-C
        --handover      the services outlive this program (a crash, kill -9, an upgrade); the next
                        bin/orders --handover with the same --state-dir adopts them, and starts
                        again only what changed (needs --state-dir). Ctrl-C still stops it all
        --orderd-arg ARG
                        one more argument for orderd (repeatable), e.g. to try a new orderd flag;
                        an orderd that refuses it never becomes ready, and in handover mode the
                        running system is left as it was (bench/upgrade scenario d)
        --hosts P,O,L   across SSH hosts: positiond on P (reachable over TCP), orderd on O
                        listening on O's address at --port, a load client on L; each host gets
                        the services' classpath by Host.deploy. Names of testhosts/up's fake hosts
                        (h1,h2,h3) or [user@]host[:port]
        --load-clients N
                        connections of the load client on L (default 2; 0 = none)""";

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the bad option or value
   */
  static Options parse(String[] args) {
    int port = 7000;
    Path stateDir = null;
    int workers = 1;
    long limit = 1_000_000;
    boolean audit = true;
    boolean repl = false;
    boolean handover = false;
    List<String> orderdArgs = new ArrayList<>();
    List<String> hosts = List.of();
    int loadClients = 2;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return new Options(
              port,
              Optional.empty(),
              workers,
              limit,
              audit,
              repl,
              false,
              List.of(),
              List.of(),
              2,
              true);
        }
        case "--no-audit" -> audit = false;
        case "--repl" -> repl = true;
        case "--handover" -> handover = true;
        case "--orderd-arg" -> orderdArgs.add(value(args, i++));
        case "--load-clients" -> loadClients = (int) number(a, value(args, i++), 0, 64);
        case "--hosts" -> {
          String v = value(args, i++);
          hosts = List.of(v.split(",", -1));
          if (hosts.size() != 3 || hosts.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                "--hosts needs three hosts, P,O,L (positiond, orderd, load client), got '"
                    + v
                    + "'");
          }
        }
        case "--port" -> port = (int) number(a, value(args, i++), 0, 65535);
        case "--workers" -> workers = (int) number(a, value(args, i++), 1, 64);
        case "--limit" -> limit = number(a, value(args, i++), 1, 1_000_000_000_000L);
        case "--state-dir" -> {
          String v = value(args, i++);
          if (v.isBlank()) {
            throw new IllegalArgumentException("--state-dir needs a directory, got ''");
          }
          stateDir = Path.of(v);
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (handover && stateDir == null) {
      throw new IllegalArgumentException(
          "--handover needs --state-dir DIR, where the next run finds the system it takes over");
    }
    if (handover && port == 0) {
      throw new IllegalArgumentException(
          "--handover needs a fixed --port: the next run takes over the socket at that address");
    }
    return new Options(
        port,
        Optional.ofNullable(stateDir),
        workers,
        limit,
        audit,
        repl,
        handover,
        List.copyOf(orderdArgs),
        hosts,
        loadClients,
        false);
  }

  private static String value(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value");
    }
    return args[i + 1];
  }

  private static long number(String option, String v, long min, long max) {
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + n);
    }
    return n;
  }
}
