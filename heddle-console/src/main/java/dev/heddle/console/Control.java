package dev.heddle.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heddle.console.live.Systems;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code heddle status|logs|events|restart|stop|start}: talks to a running system's console. It
 * finds running systems in the registry ({@link Systems#dir()}, or {@code --systems-dir DIR});
 * {@code --system NAME} picks one when several run. Exit codes: 0 ok, 1 the system said no or is
 * not there (no system, unknown service, stale registration, refused token), 2 bad usage.
 */
final class Control {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String USAGE =
      """
        status [--json]              the running system's services
        logs SERVICE [-n N] [-f] [--stderr]
                                     the last N (50) lines of its log; -f follows it
        events [-n N] [-f]           the last N (20) events; -f follows them
        restart SERVICE              restart it (returns once the new one is ready)
        stop [SERVICE]               stop one service (it stays stopped), or the whole system
        start SERVICE                start a service stopped with stop
        repl                         a Java shell in the running program: scope, host and each
                                     service (orderd-1 as orderd_1) are variables; reads stdin
          these take --system NAME (when several run) and --systems-dir DIR
      """;

  /** Thrown for a failure the user must hear about, with the exit code. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Failure(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  private final PrintStream out;
  private @Nullable String systemName;
  private Path systemsDir = Systems.dir();
  private final List<String> positional = new ArrayList<>();
  private boolean json;
  private boolean follow;
  private boolean stderr;
  private int lines = -1;
  private java.io.InputStream in = System.in;
  private boolean prompt; // print prompts: stdin is a terminal

  private Control(PrintStream out) {
    this.out = out;
  }

  /** Runs {@code command} with {@code args}; returns the exit code. */
  @SuppressWarnings("SystemConsoleNull") // NullAway's model of the JDK still says it may be null
  static int run(String command, String[] args, PrintStream out, PrintStream err) {
    var console = System.console();
    boolean terminal = console != null && console.isTerminal();
    return new Control(out).runWith(command, args, System.in, terminal, err);
  }

  /** Like {@link #run(String, String[], PrintStream, PrintStream)}, reading {@code in} (repl). */
  static int run(
      String command, String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
    return new Control(out).runWith(command, args, in, false, err);
  }

  private int runWith(
      String command, String[] args, java.io.InputStream in, boolean prompt, PrintStream err) {
    Control c = this;
    c.in = in;
    c.prompt = prompt;
    try {
      c.parse(command, args);
      c.dispatch(command);
      return 0;
    } catch (Failure f) {
      err.println("heddle " + command + ": " + f.getMessage());
      return f.code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private void parse(String command, String[] args) throws Failure {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--json" -> json = true;
        case "-f", "--follow" -> follow = true;
        case "--stderr" -> stderr = true;
        case "--system", "--systems-dir", "-n" -> {
          if (i + 1 >= args.length) {
            throw new Failure(2, a + " needs a value");
          }
          String v = args[++i];
          switch (a) {
            case "--system" -> systemName = v;
            case "--systems-dir" -> systemsDir = Path.of(v);
            default -> {
              try {
                lines = Integer.parseInt(v);
              } catch (NumberFormatException e) {
                lines = 0;
              }
              if (lines < 1 || lines > 10_000) {
                throw new Failure(2, "-n takes a whole number from 1 to 10000, got '" + v + "'");
              }
            }
          }
        }
        default -> {
          if (a.startsWith("-")) {
            throw new Failure(2, "unknown option " + a + "\nusage:\n" + USAGE);
          }
          positional.add(a);
        }
      }
    }
    int wanted =
        switch (command) {
          case "logs", "restart", "start" -> 1;
          case "stop" -> positional.size() <= 1 ? positional.size() : 1;
          default -> 0;
        };
    if (positional.size() != wanted) {
      throw new Failure(
          2,
          (wanted == 1 ? "takes one SERVICE" : "takes no arguments")
              + ", got "
              + positional
              + "\nusage:\n"
              + USAGE);
    }
  }

  private void dispatch(String command) throws Failure, InterruptedException {
    Target t = find();
    switch (command) {
      case "status" -> status(t);
      case "logs" -> logs(t, positional.getFirst());
      case "events" -> events(t);
      case "repl" -> repl(t);
      case "restart", "start" -> act(t, positional.getFirst(), command);
      case "stop" -> {
        if (positional.isEmpty()) {
          call(t, "POST", "/api/stop");
          out.println("stopping system '" + t.system + "'");
        } else {
          act(t, positional.getFirst(), "stop");
        }
      }
      default -> throw new Failure(2, "unknown command " + command);
    }
  }

  // ---- finding the system ----

  private record Target(String system, long pid, String base, String token) {}

  private Target find() throws Failure {
    List<Path> files;
    try (Stream<Path> s = Files.list(systemsDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      files = List.of();
    }
    List<JsonNode> live = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (Path f : files) {
      JsonNode info;
      try {
        info = JSON.readTree(Files.readString(f));
      } catch (IOException e) {
        continue; // being written, or not ours
      }
      String name = info.path("system").asText();
      if (systemName != null && !systemName.equals(name)) {
        continue;
      }
      long pid = info.path("pid").asLong();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        live.add(info);
      } else {
        stale.add("'" + name + "' (pid " + pid + ", " + f + ")");
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // reported below anyway
        }
      }
    }
    if (live.isEmpty()) {
      if (!stale.isEmpty()) {
        throw new Failure(
            1,
            "system "
                + String.join(", ", stale)
                + " is not running: its program died without unregistering; removed the stale"
                + " file. Start the system again.");
      }
      throw new Failure(
          1,
          (systemName == null
                  ? "no Heddle system is running"
                  : "no system '" + systemName + "' is running")
              + " (looked in "
              + systemsDir
              + "). Start one, e.g. bin/orders.");
    }
    if (live.size() > 1) {
      throw new Failure(
          2,
          "several systems run: "
              + String.join(
                  ", ",
                  live.stream()
                      .map(i -> i.path("system").asText() + " (pid " + i.path("pid").asLong() + ")")
                      .toList())
              + "; pick one with --system NAME");
    }
    JsonNode info = live.getFirst();
    Path tokenFile = Path.of(info.path("tokenFile").asText());
    String token;
    try {
      token = Files.readString(tokenFile).trim();
    } catch (IOException e) {
      throw new Failure(
          1,
          "cannot read the token of system '"
              + info.path("system").asText()
              + "' at "
              + tokenFile
              + " ("
              + e
              + "); run as the user that started it");
    }
    String address = info.path("address").asText();
    String host = address.contains(":") ? "[" + address + "]" : address;
    return new Target(
        info.path("system").asText(),
        info.path("pid").asLong(),
        "http://" + host + ":" + info.path("port").asInt(),
        token);
  }

  // ---- commands ----

  private void status(Target t) throws Failure, InterruptedException {
    JsonNode services = call(t, "GET", "/api/services");
    if (json) {
      out.println(services.toPrettyString());
      return;
    }
    out.printf("system %s (pid %d)%n", t.system, t.pid);
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

  private void logs(Target t, String service) throws Failure, InterruptedException {
    String path = "/api/services/" + enc(service) + "/logs";
    String stream = stderr ? "stderr" : "stdout";
    JsonNode r = call(t, "GET", path + "?n=" + (lines < 0 ? 50 : lines) + "&stream=" + stream);
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

  private void events(Target t) throws Failure, InterruptedException {
    JsonNode r = call(t, "GET", "/api/events?n=" + (lines < 0 ? 20 : lines));
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
   * Reads snippets from {@code in} (a line at a time; an incomplete snippet continues on the next
   * line) and prints what the system's shell answered. Errors of a snippet are printed, not fatal.
   */
  private void repl(Target t) throws Failure, InterruptedException {
    boolean tty = prompt;
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String pending = "";
    while (true) {
      if (tty) {
        out.print(pending.isEmpty() ? t.system + "> " : "...> ");
        out.flush();
      }
      String line;
      try {
        line = reader.readLine();
      } catch (IOException e) {
        throw new Failure(1, "cannot read the input: " + e);
      }
      if (line == null || (pending.isEmpty() && line.strip().equals("/exit"))) {
        return;
      }
      String code = pending + line + "\n";
      JsonNode r = post(t, "/api/repl", JSON.createObjectNode().put("code", code).toString());
      for (JsonNode v : r.path("values")) {
        out.println(v.asText());
      }
      for (JsonNode e : r.path("errors")) {
        out.println("error: " + e.asText().replace("\n", "\n  "));
      }
      pending = r.path("remaining").asText("");
    }
  }

  private void act(Target t, String service, String action) throws Failure, InterruptedException {
    JsonNode s = call(t, "POST", "/api/services/" + enc(service) + "/" + action);
    out.printf(
        "%s: %s, pid %d, incarnation %d%n",
        s.path("name").asText(),
        s.path("state").asText(),
        s.path("pid").asInt(),
        s.path("incarnation").asInt());
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
        HttpRequest.newBuilder(URI.create(t.base + path))
            .header("X-Heddle-Token", t.token)
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
            1, "system '" + t.system + "' answered " + r.statusCode() + " with no JSON");
      }
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new Failure(
            1,
            "system '"
                + t.system
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
              + t.system
              + "' at "
              + t.base
              + " ("
              + e
              + "); is it still running (pid "
              + t.pid
              + ")?");
    }
  }

  private void stream(Target t, String path, java.util.function.Function<JsonNode, String> show)
      throws Failure, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(t.base + path)).header("X-Heddle-Token", t.token).build();
    try (HttpClient http = client()) {
      HttpResponse<java.io.InputStream> r =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new Failure(1, "system '" + t.system + "' answered " + r.statusCode());
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
      throw new Failure(1, "lost system '" + t.system + "' (" + e.getMessage() + ")");
    }
  }
}
