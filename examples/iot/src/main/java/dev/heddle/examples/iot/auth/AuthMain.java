package dev.heddle.examples.iot.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.examples.iot.wire.Args;
import dev.heddle.examples.iot.wire.Http;
import dev.heddle.examples.iot.wire.InheritedListener;
import dev.heddle.examples.iot.wire.Json;
import dev.heddle.examples.iot.wire.Tokens;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The auth service: {@code AuthMain --key-file PATH --users PATH [--ttl-seconds N]}, listening
 * socket at fd 3. {@code POST /token} with {@code {"user","password"}} answers {@code
 * {"token","expires"}} or 401. It never logs a password, a token or the key. Prints {@code auth
 * ready}.
 */
public final class AuthMain {
  private AuthMain() {}

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args, List.of("--key-file", "--users"), List.of("--ttl-seconds"));
    } catch (IllegalArgumentException e) {
      System.err.println("auth: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServerSocketChannel listener;
    Tokens tokens;
    Users users;
    try {
      listener = InheritedListener.adopt();
      tokens = Tokens.fromFile(Path.of(a.get("--key-file")));
      users = Users.read(Path.of(a.get("--users")));
    } catch (Exception e) {
      System.err.println("auth: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Duration ttl = Duration.ofSeconds(a.integer("--ttl-seconds", 3600));
    System.out.println("auth ready on " + listener.getLocalAddress());
    System.out.flush();
    while (true) {
      SocketChannel client = listener.accept();
      Thread.ofVirtual().name("auth/request").start(() -> serve(client, tokens, users, ttl));
    }
  }

  private static void serve(SocketChannel client, Tokens tokens, Users users, Duration ttl) {
    try (client) {
      var out = Channels.newOutputStream(client);
      try {
        Http.Request r = Http.read(new BufferedInputStream(Channels.newInputStream(client), 2048));
        if (!r.path().equals("/token")) {
          throw new Http.BadRequest(404, "POST /token is the only endpoint");
        }
        if (!r.method().equals("POST")) {
          throw new Http.BadRequest(405, "use POST /token");
        }
        ObjectNode body;
        try {
          body = Json.parseObject(new String(r.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new Http.BadRequest(400, String.valueOf(e.getMessage()));
        }
        String user = body.path("user").asText("");
        String password = body.path("password").asText("");
        if (!users.check(user, password)) {
          throw new Http.BadRequest(401, "unknown user or wrong password");
        }
        Instant expires = Instant.now().plus(ttl);
        Http.respond(
            out,
            200,
            "application/json",
            Json.object("token", tokens.sign(user, expires), "expires", expires.toString())
                .toString());
      } catch (Http.BadRequest e) {
        Http.error(out, e.status(), String.valueOf(e.getMessage()));
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
