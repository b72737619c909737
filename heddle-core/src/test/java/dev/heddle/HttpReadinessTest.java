package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP readiness against a real HTTP server (Python's http.server on an agent-held socket, so the
 * port accepts connections long before the server answers): the agent's GETs decide.
 */
class HttpReadinessTest {
  @TempDir Path dir;
  Host host;
  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  /** Serves on fd 3 after {@code delay} s: 200 on /health, 503 on /busy, 404 elsewhere. */
  static final String SERVER =
      """
      import http.server, socket, sys, time
      time.sleep(float(sys.argv[1]))
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              code = {'/health': 200, '/busy': 503}.get(self.path, 404)
              self.send_response(code)
              self.end_headers()
              self.wfile.write(b'ok')
          def log_message(self, *args):
              pass
      srv = http.server.HTTPServer(('127.0.0.1', 0), H, bind_and_activate=False)
      srv.socket = socket.socket(fileno=3)
      print('serving', flush=True)
      srv.serve_forever()
      """;

  @BeforeEach
  void startAgent() {
    host = Host.local(dir.resolve("state"));
  }

  @AfterEach
  void closeHost() {
    host.close();
  }

  Service server(String name, ListeningSocket socket, double delay, Readiness readiness) {
    return Service.named(name)
        .on(host)
        .command(Command.of("python3", "-c", SERVER, String.valueOf(delay)))
        .inherit(socket)
        .readyWhen(readiness);
  }

  @Test
  void readyOnlyOnceTheServerAnswers() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    try (Scope scope = Scope.open("http")) {
      scope.events(events::add);
      ServiceHandle h =
          scope.supervise(
              server(
                  "web",
                  socket,
                  0.4,
                  Readiness.http("127.0.0.1", socket.port(), "/health", Duration.ofSeconds(10))));
      assertEquals(
          List.of("serving"), h.current().tail(LogStream.STDOUT, 5), "ready before it served");
      HttpClient client = HttpClient.newHttpClient();
      try {
        var response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + socket.port() + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
      } finally {
        client.close();
      }
    }
  }

  @Test
  void anExactStatusCanBeAwaited() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    try (Scope scope = Scope.open("http")) {
      ServiceHandle h =
          scope.supervise(
              server(
                  "web",
                  socket,
                  0.1,
                  Readiness.http(
                      "127.0.0.1", socket.port(), "/busy", 503, Duration.ofSeconds(10))));
      assertTrue(h.current().isAlive());
    }
  }

  @Test
  void aWrongStatusTimesOutWithTheLastAnswerTheCommandAndStderr() throws Exception {
    ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    try (Scope scope = Scope.open("http")) {
      var e =
          assertThrows(
              HeddleException.class,
              () ->
                  scope.supervise(
                      server(
                          "web",
                          socket,
                          0,
                          Readiness.http(
                              "127.0.0.1",
                              socket.port(),
                              "/missing",
                              Duration.ofSeconds(3))))); // room for a slow first answer under load
      assertEquals("NOT_READY", e.code());
      String first = e.getMessage().lines().findFirst().orElseThrow();
      assertTrue(
          first.matches(
              "web on local did not become ready within PT3S: expected HTTP GET"
                  + " http://127\\.0\\.0\\.1:"
                  + socket.port()
                  + "/missing to answer 2xx \\(last answer: 404\\), waited \\d+ ms \\(limit 3000"
                  + " ms\\)"),
          first);
      assertTrue(
          e.getMessage().contains("  command: python3 -c import http.server"), e.getMessage());
    }
  }

  @Test
  void nothingListeningTimesOutWithTheConnectionError() throws Exception {
    int port;
    try (var probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (Scope scope = Scope.open("http")) {
      var e =
          assertThrows(
              HeddleException.class,
              () ->
                  scope.supervise(
                      Service.named("idle")
                          .on(host)
                          .command(Command.shell("echo 'no server here' >&2; sleep 30"))
                          .readyWhen(
                              Readiness.http("127.0.0.1", port, "/", Duration.ofMillis(500)))));
      assertTrue(
          e.getMessage().contains("(last attempt: java.net.ConnectException"), e.getMessage());
      assertTrue(e.getMessage().endsWith("\n    no server here"), e.getMessage());
    }
  }

  @Test
  void badArgumentsAreRefusedWithWhatToDo() {
    var noSlash =
        assertThrows(
            IllegalArgumentException.class,
            () -> Readiness.http("127.0.0.1", 80, "health", Duration.ofSeconds(1)));
    assertTrue(noSlash.getMessage().contains("must start with '/'"), noSlash.getMessage());
    var port =
        assertThrows(
            IllegalArgumentException.class,
            () -> Readiness.http("127.0.0.1", 0, "/", Duration.ofSeconds(1)));
    assertTrue(port.getMessage().contains("1-65535, got 0"), port.getMessage());
    var status =
        assertThrows(
            IllegalArgumentException.class,
            () -> Readiness.http("127.0.0.1", 80, "/", 99, Duration.ofSeconds(1)));
    assertTrue(status.getMessage().contains("100-599"), status.getMessage());
  }
}
