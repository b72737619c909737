package dev.heddle.console.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.junit.HeddleTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control API against a real running system: every endpoint, the token rules, bad input. */
@HeddleTest
class ConsoleApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  Scope scope;
  Path dir;
  ServiceHandle ticker;
  ServiceHandle web;
  Console console;
  HttpClient http;

  @BeforeEach
  void start(Scope scope, Host host, Path dir) throws Exception {
    this.scope = scope;
    this.dir = dir;
    RestartPolicy policy =
        RestartPolicy.permanent().withBackoff(Duration.ofMillis(50), 2, Duration.ofMillis(200));
    ticker =
        scope.supervise(
            Service.named("ticker")
                .on(host)
                .command(
                    Command.shell(
                        "echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2;"
                            + " done"))
                .readyWhen(Readiness.logLine("^started$", Duration.ofSeconds(10)))
                .restart(policy));
    web =
        scope.supervise(
            Service.named("web")
                .on(host)
                .command(Command.of("sleep", "300"))
                .dependsOn(ticker)
                .restart(policy));
    console = Console.start(scope, "test-system", dir);
    http = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() {
    http.close();
    console.close();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(console.baseUrl() + path));
    if (token != null) {
      b.header("X-Heddle-Token", token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token) throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(console.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("X-Heddle-Token", token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void tokenRules() throws Exception {
    assertEquals(401, get("/api/services", null).statusCode());
    assertTrue(json(get("/api/services", null)).get("error").asText().contains("X-Heddle-Token"));
    assertEquals(403, get("/api/services", "wrong").statusCode());
    assertEquals(200, get("/api/services?token=" + console.token(), null).statusCode());
    assertEquals(200, get("/api/services", console.token()).statusCode());
    var inUrl = post("/api/services/web/restart?token=" + console.token(), null);
    assertEquals(403, inUrl.statusCode());
    assertTrue(json(inUrl).get("error").asText().contains("header"), inUrl.body());
    assertEquals(401, post("/api/services/web/restart", null).statusCode());
    assertEquals(403, post("/api/services/web/restart", "wrong").statusCode());
    assertEquals(401, get("/", null).statusCode());
    var page = get("/?token=" + console.token(), null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Heddle</title>"), page.body());
    assertTrue(console.url().startsWith("http://127.0.0.1:"), console.url());
  }

  @Test
  void theTokenAndTheSystemFileAreWrittenAndRemoved() throws Exception {
    Path token = dir.resolve("console/token");
    assertEquals(console.token(), Files.readString(token));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    JsonNode info = JSON.readTree(Files.readString(dir.resolve("console/console.json")));
    assertEquals("test-system", info.get("system").asText());
    assertEquals(ProcessHandle.current().pid(), info.get("pid").asLong());
    assertEquals(URI.create(console.baseUrl()).getPort(), info.get("port").asInt());
    assertTrue(!info.toString().contains(console.token()), "the token is in console.json");
    console.close();
    assertTrue(Files.notExists(token) && Files.notExists(dir.resolve("console/console.json")));
    assertThrows(java.io.IOException.class, () -> get("/api/services", "x"));
  }

  @Test
  void servicesAndOneServiceWithTheirDependencies() throws Exception {
    JsonNode all = json(get("/api/services", console.token()));
    assertEquals(2, all.size());
    JsonNode t = all.get(0);
    assertEquals("ticker", t.get("name").asText());
    assertEquals("ready", t.get("state").asText());
    assertEquals(ticker.current().pid(), t.get("pid").asInt());
    assertEquals("local", t.get("host").asText());
    assertEquals("/bin/sh", t.get("command").get(0).asText());
    JsonNode w = json(get("/api/services/web", console.token()));
    assertEquals("ticker", w.get("dependencies").get(0).asText());
    assertEquals(0, w.get("restarts").asInt());
    var missing = get("/api/services/nope", console.token());
    assertEquals(404, missing.statusCode());
    assertTrue(json(missing).get("error").asText().contains("no service 'nope'"), missing.body());
  }

  @Test
  void logsWithBadInput() throws Exception {
    Thread.sleep(500); // a few ticks
    JsonNode logs = json(get("/api/services/ticker/logs?n=2", console.token()));
    assertEquals(2, logs.get("lines").size());
    assertTrue(logs.get("lines").get(1).asText().startsWith("tick "), logs.toString());
    for (String bad : new String[] {"n=0", "n=abc", "n=10001", "stream=stdin"}) {
      var r = get("/api/services/ticker/logs?" + bad, console.token());
      assertEquals(400, r.statusCode(), bad);
      assertTrue(json(r).has("error"), r.body());
    }
    var method =
        http.send(
            HttpRequest.newBuilder(URI.create(console.baseUrl() + "/api/services"))
                .header("X-Heddle-Token", console.token())
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, method.statusCode());
    assertEquals(404, get("/api/nothing", console.token()).statusCode());
    assertEquals(405, post("/api/services/web/explode", console.token()).statusCode());
  }

  @Test
  void restartStopAndStartThroughTheApi() throws Exception {
    int before = web.current().pid();
    var restarted = post("/api/services/web/restart", console.token());
    assertEquals(200, restarted.statusCode(), restarted.body());
    assertNotEquals(before, json(restarted).get("pid").asInt());
    assertEquals(web.current().pid(), json(restarted).get("pid").asInt());
    var stopped = post("/api/services/web/stop", console.token());
    assertEquals("stopped", json(stopped).get("state").asText(), stopped.body());
    var again = post("/api/services/web/stop", console.token());
    assertEquals(409, again.statusCode());
    assertEquals("web is already stopped", json(again).get("error").asText());
    var started = post("/api/services/web/start", console.token());
    assertEquals("ready", json(started).get("state").asText(), started.body());
    assertEquals(409, post("/api/services/web/start", console.token()).statusCode());
  }

  @Test
  void eventsListAndStreamSeeAKillAndTheRestart() throws Exception {
    JsonNode recent = json(get("/api/events?n=10", console.token()));
    assertTrue(recent.isArray());
    var lines = new ArrayBlockingQueue<String>(100);
    var request =
        HttpRequest.newBuilder(
                URI.create(console.baseUrl() + "/api/events/stream?token=" + console.token()))
            .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var in =
                      new BufferedReader(
                          new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      if (line.startsWith("data: ")) {
                        lines.add(line.substring(6));
                      }
                    }
                  } catch (java.io.IOException closed) {
                    // the console closed
                  }
                });
    Thread.sleep(200);
    int pid = ticker.current().pid();
    ticker.current().signal(Signal.KILL);
    boolean sawExit = false;
    boolean sawReady = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(sawExit && sawReady) && System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l == null) {
        continue;
      }
      JsonNode e = JSON.readTree(l);
      if (e.get("service").asText().equals("ticker")) {
        sawExit |= e.get("type").asText().equals("Exited") && e.get("incarnation").asInt() == 1;
        sawReady |= e.get("type").asText().equals("Ready") && e.get("incarnation").asInt() == 2;
      }
    }
    assertTrue(sawExit && sawReady, "stream missed the exit or the restart; got " + lines);
    JsonNode t = json(get("/api/services/ticker", console.token()));
    assertEquals(1, t.get("restarts").asInt());
    assertNotEquals(pid, t.get("pid").asInt());
    assertTrue(t.get("lastExit").get("status").asText().contains("KILL"), t.toString());
    console.close();
    reader.join(5000);
    assertTrue(!reader.isAlive(), "the event stream outlived the console");
  }

  @Test
  void stoppingTheSystemCancelsTheScope() throws Exception {
    var r = post("/api/stop", console.token());
    assertEquals(200, r.statusCode());
    scope.awaitExit(Duration.ofSeconds(10));
    assertTrue(scope.isCancelled());
  }
}
