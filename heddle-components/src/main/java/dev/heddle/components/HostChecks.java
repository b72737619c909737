package dev.heddle.components;

import dev.heddle.Command;
import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What every component checks on its host before it starts a server: the binary is there, the data
 * directory can be made and written (by the OS user the server will run as), and a free port. Each
 * check runs a short process on the host through its agent, so it holds for a remote host too.
 */
final class HostChecks {
  /** How long a server may take to answer its protocol after it is spawned. */
  static final Duration READY_LIMIT = Duration.ofSeconds(30);

  /** The error code of a failed check (a {@link HeddleException#code()}). */
  static final String CODE = "COMPONENT";

  private HostChecks() {}

  /**
   * Fails unless {@code binary} is an executable file on {@code host}, naming the Debian package.
   */
  static void requireBinary(Host host, String component, Path binary, String debianPackage)
      throws InterruptedException {
    if (run(host, component + "-check", Command.of("test", "-x", binary.toString())).ok()) {
      return;
    }
    throw new HeddleException(
        host.name(),
        component,
        CODE,
        "Cannot start "
            + component
            + " on "
            + host.name()
            + ": "
            + binary
            + " is missing or not executable.\n  Install Debian's package: apt-get install "
            + debianPackage);
  }

  /**
   * Makes {@code dir} on {@code host} (with its parents), hands it to {@code user} when given
   * ({@code chown -R}), and checks that whoever the server runs as can write it.
   *
   * @throws HeddleException when it cannot be made or written, with the shell's error
   */
  static void prepareDataDir(Host host, String component, Path dir, Optional<String> user)
      throws InterruptedException {
    String script =
        user.isEmpty()
            ? "mkdir -p -- \"$1\" && test -d \"$1\" -a -w \"$1\" || { echo \"$1 is not a writable"
                + " directory\" >&2; exit 1; }"
            : "mkdir -p -- \"$1\" && chown -R \"$2:\" -- \"$1\" && setpriv --reuid=\"$2\""
                + " --regid=\"$2\" --init-groups -- test -w \"$1\" -a -x \"$1\" || { echo \"user $2"
                + " cannot write $1: every directory above it must be searchable (chmod o+x) by $2\""
                + " >&2; exit 1; }";
    Command command =
        Command.of("sh", "-c", script, "sh", dir.toAbsolutePath().toString(), user.orElse(""));
    Result r = run(host, component + "-datadir", command);
    if (!r.ok()) {
      throw new HeddleException(
          host.name(),
          component,
          CODE,
          "Cannot use "
              + dir
              + " as "
              + component
              + "'s data directory on "
              + host.name()
              + " ("
              + r.status()
              + "):\n    "
              + String.join("\n    ", r.stderr()));
    }
  }

  /** Whether the agent on {@code host} runs as root (whose services run as root too). */
  static boolean runsAsRoot(Host host, String component) throws InterruptedException {
    Result r = run(host, component + "-id", Command.of("id", "-u"));
    return r.ok() && r.stdout().equals(List.of("0"));
  }

  /** Whether {@code user} is an OS user on {@code host}. */
  static boolean userExists(Host host, String component, String user) throws InterruptedException {
    return run(host, component + "-id", Command.of("id", "-u", user)).ok();
  }

  /**
   * A TCP port on 127.0.0.1 that nothing listens on now (the kernel's pick for port 0). Only good
   * for the local host, and racy by nature: another program may take it before the server binds.
   */
  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }

  /** Runs {@code command} on {@code host} to its end. */
  static Result run(Host host, String name, Command command) throws InterruptedException {
    HostProcess p = host.spawn(ProcessSpec.builder(name, command).build());
    ExitStatus status = p.awaitExit();
    return new Result(status, p.tail(LogStream.STDOUT, 20), p.tail(LogStream.STDERR, 20));
  }

  /** How a short process ended and the last lines it wrote. */
  record Result(ExitStatus status, List<String> stdout, List<String> stderr) {
    boolean ok() {
      return status.success();
    }
  }
}
