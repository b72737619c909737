package dev.heddle.examples.orders;

import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.examples.orders.orderd.OrderDbTool;
import java.nio.file.Path;
import java.util.Objects;

/**
 * orderd's database: a conventional SQLite file with orderd's schema, on a host. {@link #make} for
 * a fresh one (a test, a first run); {@link #recover} for one from a previous run.
 *
 * @param host where the file is
 * @param path the file
 */
public record OrderDb(Host host, Path path) {

  /**
   * Makes a fresh database at {@code path} on {@code host} (by running {@link OrderDbTool} there).
   * Blocks.
   *
   * @throws HeddleException with code {@code ORDER_DB} when the file exists or cannot be made
   */
  public static OrderDb make(Host host, Path path) throws InterruptedException {
    run(host, "make", path);
    return new OrderDb(host, path);
  }

  /**
   * The database left at {@code path} on {@code host} by an earlier run, after checking its schema
   * version and integrity. Blocks.
   *
   * @throws HeddleException with code {@code ORDER_DB} when it is missing, of another version or
   *     damaged
   */
  public static OrderDb recover(Host host, Path path) throws InterruptedException {
    run(host, "recover", path);
    return new OrderDb(host, path);
  }

  private static void run(Host host, String verb, Path path) throws InterruptedException {
    Path dir =
        Objects.requireNonNull(path.toAbsolutePath().getParent(), "the database's directory");
    host.mkdirs(dir);
    HostProcess p =
        host.spawn(
            ProcessSpec.builder(
                    "orderdb-" + verb,
                    JavaCommand.of(host, OrderDbTool.class, dir).args(verb, path.toAbsolutePath()))
                .build());
    ExitStatus status = p.awaitExit();
    if (!status.success()) {
      throw new HeddleException(
          host.name(),
          "orderdb-" + verb,
          "ORDER_DB",
          "Cannot "
              + verb
              + " the order database "
              + path
              + " on "
              + host.name()
              + " ("
              + status
              + "):\n    "
              + String.join("\n    ", p.tail(LogStream.STDERR, 20)));
    }
  }
}
