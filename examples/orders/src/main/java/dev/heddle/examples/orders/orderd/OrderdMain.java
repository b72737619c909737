package dev.heddle.examples.orders.orderd;

import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * orderd's entry point: {@code OrderdMain --db PATH --positiond SOCKET|tcp:HOST:PORT --limit N
 * [--positiond-patience-ms N] [--audit SOCKET]}, with the listening socket at fd 3. Prints {@code
 * orderd ready} once it accepts; exits 2 on bad arguments and 1 when it cannot start.
 */
public final class OrderdMain {
  private OrderdMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts;
    try {
      opts =
          Args.parse(args, "--db", "--positiond", "--limit", "--positiond-patience-ms", "--audit");
      Args.require(opts, "--db", "--positiond", "--limit");
      var _ = PositiondClient.address(Objects.requireNonNull(opts.get("--positiond")));
    } catch (IllegalArgumentException e) {
      System.err.println("orderd: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServerSocketChannel listener;
    OrderStore store;
    try {
      listener = InheritedListener.adopt();
      Path dbPath = Path.of(opts.get("--db")).toAbsolutePath();
      SqliteNative.useLibraryIn(dbPath.resolveSibling("native"));
      store = OrderStore.open(dbPath);
    } catch (Exception e) {
      System.err.println("orderd: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Duration patience =
        Duration.ofMillis(Long.parseLong(opts.getOrDefault("--positiond-patience-ms", "5000")));
    PositiondClient positiond =
        new PositiondClient(Objects.requireNonNull(opts.get("--positiond")), patience);
    String auditSocket = opts.get("--audit");
    Engine.Audit audit =
        auditSocket == null ? (id, o) -> {} : AuditClient.start(Path.of(auditSocket));
    Path db = Path.of(opts.get("--db"));
    Engine engine =
        new Engine(
            store,
            db.resolveSibling(db.getFileName() + ".writer-lock"),
            positiond,
            audit,
            Long.parseLong(opts.get("--limit")));
    System.out.println(
        "orderd ready on " + listener.getLocalAddress() + ", pid " + ProcessHandle.current().pid());
    System.out.flush();
    long n = 0;
    while (true) {
      SocketChannel client = listener.accept();
      Thread.ofVirtual().name("orderd/client-" + ++n).start(new Session(client, engine));
    }
  }
}
