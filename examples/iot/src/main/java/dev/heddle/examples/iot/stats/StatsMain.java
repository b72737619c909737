package dev.heddle.examples.iot.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Args;
import dev.heddle.examples.iot.wire.Http;
import dev.heddle.examples.iot.wire.InheritedListener;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Redis;
import dev.heddle.examples.iot.wire.Tokens;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statistics service: {@code StatsMain --redis HOST:PORT --key-file PATH}, listening socket at
 * fd 3. It collects every device report published on Redis channel {@code updates} (count, and
 * min/max/mean/last of each numeric field) in memory, since it started, and answers {@code GET
 * /stats/DEVICE} with a token of the device's owner (404 for anyone else). Prints {@code stats
 * ready}.
 */
public final class StatsMain {
  private StatsMain() {}

  /** One device's readings; guarded by its own monitor. */
  private static final class Readings {
    final String owner;
    long count;
    final Map<String, double[]> fields = new TreeMap<>(); // min, max, sum, last

    Readings(String owner) {
      this.owner = owner;
    }

    synchronized void add(JsonNode state) {
      count++;
      for (Map.Entry<String, JsonNode> f : state.properties()) {
        if (f.getValue().isNumber() && !f.getKey().equals("version")) {
          double v = f.getValue().doubleValue();
          double[] s = fields.computeIfAbsent(f.getKey(), k -> new double[] {v, v, 0, v});
          s[0] = Math.min(s[0], v);
          s[1] = Math.max(s[1], v);
          s[2] += v;
          s[3] = v;
        }
      }
    }

    synchronized ObjectNode json(String id) {
      ObjectNode out = Json.object("device", id, "count", count);
      ObjectNode fs = out.putObject("fields");
      fields.forEach(
          (k, s) ->
              fs.set(k, Json.object("min", s[0], "max", s[1], "mean", s[2] / count, "last", s[3])));
      return out;
    }
  }

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args, List.of("--redis", "--key-file"), List.of());
    } catch (IllegalArgumentException e) {
      System.err.println("stats: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServerSocketChannel listener;
    Tokens tokens;
    try {
      listener = InheritedListener.adopt();
      tokens = Tokens.fromFile(Path.of(a.get("--key-file")));
    } catch (Exception e) {
      System.err.println("stats: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Map<String, Readings> readings = new ConcurrentHashMap<>();
    Redis.of(a.get("--redis"))
        .subscribe(
            List.of("updates"),
            () -> {},
            (channel, payload) -> {
              try {
                ObjectNode u = Json.parseObject(payload);
                JsonNode device = u.path("device");
                if (u.path("kind").asText("").equals("state") && device.path("state").isObject()) {
                  readings
                      .computeIfAbsent(
                          device.path("id").asText(""),
                          id -> new Readings(u.path("user").asText("")))
                      .add(device.path("state"));
                }
              } catch (IllegalArgumentException e) {
                System.err.println("stats: ignoring a malformed update");
              }
            });
    System.out.println("stats ready on " + listener.getLocalAddress());
    System.out.flush();
    while (true) {
      SocketChannel client = listener.accept();
      Thread.ofVirtual().name("stats/request").start(() -> serve(client, tokens, readings));
    }
  }

  private static void serve(SocketChannel client, Tokens tokens, Map<String, Readings> readings) {
    try (client) {
      var out = Channels.newOutputStream(client);
      try {
        Http.Request r = Http.read(new BufferedInputStream(Channels.newInputStream(client), 2048));
        if (!r.method().equals("GET") || !r.path().startsWith("/stats/")) {
          throw new Http.BadRequest(404, "GET /stats/DEVICE is the only endpoint");
        }
        String token = r.bearer();
        if (token == null) {
          throw new Http.BadRequest(401, "no token: send Authorization: Bearer TOKEN");
        }
        String user;
        try {
          user = tokens.verify(token, Instant.now());
        } catch (Tokens.InvalidToken e) {
          throw new Http.BadRequest(401, String.valueOf(e.getMessage()));
        }
        String id = r.path().substring("/stats/".length());
        Readings rs = readings.get(id);
        if (rs == null || !rs.owner.equals(user)) {
          throw new Http.BadRequest(404, "no readings of a device " + id + " of yours");
        }
        Http.respond(out, 200, "application/json", rs.json(id).toString());
      } catch (Http.BadRequest e) {
        Http.error(out, e.status(), String.valueOf(e.getMessage()));
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
