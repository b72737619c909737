package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@code OrderDbTool make|recover PATH}: makes a fresh order database, or checks an existing one
 * (schema version and SQLite's quick_check). Run on the database's host by {@code OrderDb}. Exit 0
 * when done, 1 with the reason on stderr, 2 on bad arguments.
 */
public final class OrderDbTool {
  private OrderDbTool() {}

  public static void main(String[] args) {
    if (args.length != 2 || !(args[0].equals("make") || args[0].equals("recover"))) {
      System.err.println("usage: OrderDbTool make|recover PATH");
      System.exit(2);
    }
    Path path = Path.of(args[1]).toAbsolutePath();
    try {
      SqliteNative.useLibraryIn(path.resolveSibling("native"));
      if (args[0].equals("make")) {
        OrderStore.create(path);
      } else {
        OrderStore.check(path);
      }
    } catch (SQLException | IOException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
