package dev.heddle.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heddle.console.internal.ReplInput;
import dev.heddle.console.internal.ReplLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code heddle status|logs|events|restart|stop|start|repl} do once the command line is parsed
 * ({@link HeddleCommand}) and the system found ({@link Target}): calls of its console's API,
 * printed for a person. Each method blocks until the answer is printed ({@code -f}: until the
 * system goes away) and throws {@link Failure} with exit code 1 when the system says no.
 */
final class Control {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Target t;
  private final PrintStream out;

  Control(Target target, PrintStream out) {
    this.t = target;
    this.out = out;
  }

  // ---- commands ----

  void status(boolean json) throws Failure, InterruptedException {
    JsonNode services = call(t, "GET", "/api/services");
    if (json) {
      out.println(services.toPrettyString());
      return;
    }
    out.printf("system %s (pid %d)%n", t.system(), t.pid());
    out.printf(
        "%-16s %-9s %-8s %8s %8s  %-9s %s%n",
        "SERVICE", "STATE", "HOST", "PID", "RESTARTS", "UPTIME", "LAST EXIT");
    for (JsonNode s : services) {
      out.printf(
          "%-16s %-9s %-8s %8d %8d  %-9s %s%n",
          s.path("name").asText(),
          s.path("state").asText(),
          s.path("host").asText(),
          s.path("pid").asInt(),
          s.path("restarts").asInt(),
          uptime(s.path("readySince")),
          s.path("lastExit").isNull() || s.path("lastExit").isMissingNode()
              ? ""
              : s.path("lastExit").path("status").asText());
    }
  }

  private static String uptime(JsonNode since) {
    if (since.isNull() || since.isMissingNode()) {
      return "";
    }
    long s = Duration.between(Instant.parse(since.asText()), Instant.now()).toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
  }

  void logs(String service, int lines, boolean follow, boolean stderr)
      throws Failure, InterruptedException {
    String path = "/api/services/" + enc(service) + "/logs";
    String stream = stderr ? "stderr" : "stdout";
    JsonNode r = call(t, "GET", path + "?n=" + lines + "&stream=" + stream);
    for (JsonNode l : r.path("lines")) {
      out.println(l.asText());
    }
    if (follow) {
      stream(
          t,
          path + "/stream?stream=" + stream,
          d -> {
            List<String> ls = new ArrayList<>();
            d.path("lines").forEach(l -> ls.add(l.asText()));
            return String.join("\n", ls);
          });
    }
  }

  void events(int lines, boolean follow) throws Failure, InterruptedException {
    JsonNode r = call(t, "GET", "/api/events?n=" + lines);
    for (JsonNode e : r) {
      out.println(event(e));
    }
    if (follow) {
      stream(t, "/api/events/stream", Control::event);
    }
  }

  private static String event(JsonNode e) {
    return e.path("time").asText()
        + "  "
        + e.path("type").asText()
        + "  "
        + e.path("service").asText()
        + "#"
        + e.path("incarnation").asInt()
        + (e.has("pid") ? "  pid " + e.path("pid").asInt() : "")
        + (e.has("status") ? "  " + e.path("status").asText() : "")
        + (e.has("reason") ? "  " + e.path("reason").asText() : "");
  }

  /**
   * Reads snippets from {@code input} (see {@link ReplLoop}) and prints what the system's shell
   * answered, until the input ends.
   */
  void repl(ReplInput input) throws Failure, InterruptedException {
    try {
      ReplLoop.run(
          input,
          out,
          t.system(),
          code -> {
            JsonNode r = post(t, "/api/repl", JSON.createObjectNode().put("code", code).toString());
            List<String> values = new ArrayList<>();
            r.path("values").forEach(v -> values.add(v.asText()));
            List<String> errors = new ArrayList<>();
            r.path("errors").forEach(e -> errors.add(e.asText()));
            return new ReplLoop.Answer(values, errors, r.path("remaining").asText(""));
          });
    } catch (IOException e) {
      throw new Failure(1, "cannot read the input: " + e);
    }
  }

  void act(String service, String action) throws Failure, InterruptedException {
    JsonNode s = call(t, "POST", "/api/services/" + enc(service) + "/" + action);
    out.printf(
        "%s: %s, pid %d, incarnation %d%n",
        s.path("name").asText(),
        s.path("state").asText(),
        s.path("pid").asInt(),
        s.path("incarnation").asInt());
  }

  /** Asks the system to stop: its scope is cancelled, so every service stops. */
  void stopSystem() throws Failure, InterruptedException {
    call(t, "POST", "/api/stop");
    out.println("stopping system '" + t.system() + "'");
  }

  // ---- HTTP ----

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private JsonNode call(Target t, String method, String path) throws Failure, InterruptedException {
    return send(t, method, path, HttpRequest.BodyPublishers.noBody());
  }

  private JsonNode post(Target t, String path, String json) throws Failure, InterruptedException {
    return send(t, "POST", path, HttpRequest.BodyPublishers.ofString(json));
  }

  private JsonNode send(Target t, String method, String path, HttpRequest.BodyPublisher payload)
      throws Failure, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(t.base() + path))
            .header("X-Heddle-Token", t.token())
            .header("Content-Type", "application/json")
            .method(method, payload)
            .timeout(Duration.ofMinutes(3))
            .build();
    try (HttpClient http = client()) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new Failure(
            1, "system '" + t.system() + "' answered " + r.statusCode() + " with no JSON");
      }
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new Failure(
            1,
            "system '"
                + t.system()
                + "' refused the token ("
                + body.path("error").asText()
                + "); is the registration of another run?");
      }
      if (r.statusCode() >= 400) {
        throw new Failure(1, body.path("error").asText("HTTP " + r.statusCode()));
      }
      return body;
    } catch (IOException e) {
      throw new Failure(
          1,
          "cannot reach system '"
              + t.system()
              + "' at "
              + t.base()
              + " ("
              + e
              + "); is it still running (pid "
              + t.pid()
              + ")?");
    }
  }

  private void stream(Target t, String path, java.util.function.Function<JsonNode, String> show)
      throws Failure, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(t.base() + path))
            .header("X-Heddle-Token", t.token())
            .build();
    try (HttpClient http = client()) {
      HttpResponse<java.io.InputStream> r =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new Failure(1, "system '" + t.system() + "' answered " + r.statusCode());
      }
      try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("data: ")) {
            out.println(show.apply(JSON.readTree(line.substring(6))));
            out.flush();
          }
        }
      }
    } catch (IOException e) {
      throw new Failure(1, "lost system '" + t.system() + "' (" + e.getMessage() + ")");
    }
  }
}
