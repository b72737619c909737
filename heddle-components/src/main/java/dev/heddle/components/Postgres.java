package dev.heddle.components;

import dev.heddle.Command;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server started by {@link #start}: Debian's {@code postgres}, its cluster in a data
 * directory made on first use ({@code initdb}) and reused after.
 *
 * @param host where it runs
 * @param port its TCP port on 127.0.0.1
 * @param dataDir its cluster
 * @param jdbcUrl how to reach database {@code postgres} as superuser {@code postgres} (trust
 *     authentication, loopback only)
 * @param service its supervised service
 */
public record Postgres(Host host, int port, Path dataDir, String jdbcUrl, ServiceHandle service) {

  /** Where Debian's packages put each major version's binaries ({@code 15/bin}, …). */
  public static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

  /** The longest socket directory that leaves room for {@code /.s.PGSQL.NNNNN} in sun_path. */
  private static final int MAX_SOCKET_DIR = 88;

  /**
   * {@link #start(Scope, Host, Path, Path)} with the newest version under {@link #DEBIAN_VERSIONS}
   * on {@code host}.
   */
  public static Postgres start(Scope scope, Host host, Path dataDir) throws InterruptedException {
    HostChecks.Result newest =
        HostChecks.run(
            host,
            "postgres-find",
            Command.of(
                "sh",
                "-c",
                "ls -d \"$1\"/*/bin 2>/dev/null | sort -V | tail -n 1",
                "sh",
                DEBIAN_VERSIONS.toString()));
    if (!newest.ok() || newest.stdout().isEmpty() || newest.stdout().getLast().isBlank()) {
      throw new HeddleException(
          host.name(),
          "postgres",
          HostChecks.CODE,
          "Cannot start postgres on "
              + host.name()
              + ": no "
              + DEBIAN_VERSIONS
              + "/<version>/bin.\n  Install Debian's package: apt-get install postgresql");
    }
    return start(scope, host, dataDir, Path.of(newest.stdout().getLast().strip()));
  }

  /**
   * Starts {@code binDir/postgres} as service {@code postgres} on {@code host} on a free port of
   * 127.0.0.1: makes the cluster with {@code initdb -U postgres --auth=trust} when {@code dataDir}
   * holds none, reuses it otherwise. Postgres refuses to run as root, so when the host's agent runs
   * as root it runs as the OS user {@code postgres} (through {@code setpriv}) and owns {@code
   * dataDir}. Always restarted on the same port and directory. Blocks until a JDBC {@code SELECT 1}
   * succeeds. The port is picked on this JVM's machine, so {@code host} must be the local host.
   *
   * @throws HeddleException with code {@code COMPONENT} when a binary is missing, the agent runs as
   *     root and there is no user {@code postgres}, {@code dataDir} cannot be made or written, or
   *     {@code initdb} fails; {@code NOT_READY} when it does not answer
   */
  public static Postgres start(Scope scope, Host host, Path dataDir, Path binDir)
      throws InterruptedException {
    Path postgres = binDir.resolve("postgres");
    HostChecks.requireBinary(host, "postgres", postgres, "postgresql");
    HostChecks.requireBinary(host, "postgres", binDir.resolve("initdb"), "postgresql");
    Optional<String> user = Optional.empty();
    if (HostChecks.runsAsRoot(host, "postgres")) {
      if (!HostChecks.userExists(host, "postgres", "postgres")) {
        throw new HeddleException(
            host.name(),
            "postgres",
            HostChecks.CODE,
            "Cannot start postgres on "
                + host.name()
                + ": the agent runs as root, which postgres refuses, and there is no OS user"
                + " 'postgres' to run it as.\n  Run the agent as another user, or create one:"
                + " apt-get install postgresql (or adduser --system postgres)");
      }
      user = Optional.of("postgres");
    }
    Path dir = dataDir.toAbsolutePath();
    HostChecks.prepareDataDir(host, "postgres", dir, user);
    boolean made =
        HostChecks.run(host, "postgres-check", Command.of("test", "-f", dir + "/PG_VERSION")).ok();
    if (!made) {
      initdb(host, binDir, dir, user);
    }
    int port = HostChecks.freeLoopbackPort();
    String socketDir = dir.toString().length() <= MAX_SOCKET_DIR ? dir.toString() : "";
    Command command =
        as(
                user,
                postgres.toString(),
                "-D",
                dir.toString(),
                "-p",
                String.valueOf(port),
                "-k",
                socketDir,
                "-c",
                "listen_addresses=127.0.0.1")
            .cwd(dir);
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    ServiceHandle service =
        scope.supervise(
            Service.named("postgres")
                .on(host)
                .command(command)
                .restart(RestartPolicy.permanent())
                .stopGrace(Duration.ofSeconds(10))
                .readyWhen(
                    Readiness.probe(
                        "JDBC SELECT 1 on " + url + " to answer 1",
                        HostChecks.READY_LIMIT,
                        () -> selectsOne(url))));
    return new Postgres(host, port, dir, url, service);
  }

  private static void initdb(Host host, Path binDir, Path dir, Optional<String> user)
      throws InterruptedException {
    Command initdb =
        as(
                user,
                binDir.resolve("initdb").toString(),
                "-D",
                dir.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale")
            .cwd(dir);
    HostChecks.Result r = HostChecks.run(host, "postgres-initdb", initdb);
    if (!r.ok()) {
      throw new HeddleException(
          host.name(),
          "postgres",
          HostChecks.CODE,
          "Cannot make a PostgreSQL cluster in "
              + dir
              + " on "
              + host.name()
              + " (initdb: "
              + r.status()
              + "):\n    "
              + String.join("\n    ", r.stderr()));
    }
  }

  /** {@code program args}, run as {@code user} when given (the agent is root then). */
  private static Command as(Optional<String> user, String program, String... args) {
    if (user.isEmpty()) {
      return Command.of(program, args);
    }
    List<String> all = new ArrayList<>();
    all.add("--reuid=" + user.get());
    all.add("--regid=" + user.get());
    all.add("--init-groups");
    all.add("--");
    all.add(program);
    all.addAll(List.of(args));
    return Command.of("setpriv", all.toArray(String[]::new));
  }

  /** Whether {@code SELECT 1} answers 1 on {@code url}. */
  static boolean selectsOne(String url) {
    try (Connection c = DriverManager.getConnection(url + "&connectTimeout=1&socketTimeout=2");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException notYet) {
      return false; // not listening yet, or still starting up / recovering: poll again
    }
  }
}
