package dev.heddle.examples.iot.api;

import dev.heddle.examples.iot.wire.Args;
import dev.heddle.examples.iot.wire.InheritedListener;
import dev.heddle.examples.iot.wire.Redis;
import dev.heddle.examples.iot.wire.Store;
import dev.heddle.examples.iot.wire.Tokens;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * A device-management worker: {@code ApiMain --name api-1 --redis HOST:PORT --key-file PATH}, with
 * the shared listening socket at fd 3. Serves the WebSocket API at {@code /ws}; prints {@code api
 * ready} once it accepts and is subscribed to Redis. Exits 2 on bad arguments, 1 when it cannot
 * start.
 */
public final class ApiMain {
  private ApiMain() {}

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args, List.of("--name", "--redis", "--key-file"), List.of());
    } catch (IllegalArgumentException e) {
      System.err.println("api: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServerSocketChannel listener;
    Tokens tokens;
    try {
      listener = InheritedListener.adopt();
      tokens = Tokens.fromFile(Path.of(a.get("--key-file")));
    } catch (Exception e) {
      System.err.println("api: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Redis redis = Redis.of(a.get("--redis"));
    Store store = new Store(redis);
    Hub hub = new Hub(Redis.of(a.get("--redis")), store);
    hub.awaitSubscribed();
    Worker worker = new Worker(a.get("--name"), tokens, store, hub);
    System.out.println(
        "api ready: "
            + worker.name()
            + " on "
            + listener.getLocalAddress()
            + ", pid "
            + ProcessHandle.current().pid());
    System.out.flush();
    while (true) {
      SocketChannel client = listener.accept();
      Thread.ofVirtual().name("api/session").start(new Session(client, worker));
    }
  }
}
