package dev.heddle.console.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.heddle.Event;
import dev.heddle.LogStream;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.console.internal.ReplInput;
import dev.heddle.console.internal.ReplLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The control API and dashboard of a running system, served by the program itself on loopback
 * (JDK's HTTP server, one virtual thread per exchange; JSON by Jackson). Every request needs the
 * system's token, generated per run and stored mode 0600 in {@code <state>/console/token}: for
 * reads as {@code ?token=} (so the printed URL opens the dashboard, as Jupyter does) or the {@code
 * X-Heddle-Token} header; mutations (POST) only in that header, so a page on another origin cannot
 * trigger them. No token → 401, a wrong one → 403.
 *
 * <p>Endpoints: {@code GET /api/system}, {@code /api/services}, {@code /api/services/NAME}, {@code
 * /api/services/NAME/logs?n=N&stream=stdout|stderr}, {@code /api/services/NAME/logs/stream}
 * (server-sent events), {@code /api/events?n=N}, {@code /api/events/stream} (server-sent events);
 * {@code POST /api/services/NAME/restart|stop|start}, {@code POST /api/repl} (a body {@code
 * {"code": "..."}} evaluated by the system's Java shell) and {@code POST /api/stop} (cancels the
 * scope); {@code GET /} the dashboard. Close it to stop serving.
 */
public final class Console implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LINES = 10_000;
  private static final int MAX_REPL_BYTES = 64 * 1024;

  /**
   * Messages a stream holds for a client slower than the system; beyond it, new ones are dropped
   * for that client only (the log files keep every line).
   */
  private static final int STREAM_BACKLOG = 10_000;

  private final Scope scope;
  private final String system;
  private final Path dir;
  private final String token;
  private final HttpServer server;
  private final ExecutorService exchanges;
  private final ServiceTable table;
  private final Repl repl;
  private final Scope.Subscription subscription;

  /** Queues of the open event streams: every event goes to each. */
  private final Map<LinkedBlockingQueue<String>, Boolean> streams =
      java.util.Collections.synchronizedMap(new HashMap<>());

  /** Queues of every open stream (events and logs), woken when the console closes. */
  private final Map<LinkedBlockingQueue<String>, Boolean> open =
      java.util.Collections.synchronizedMap(new HashMap<>());

  private volatile boolean closed;
  private @Nullable Path registration;

  private Console(
      Scope scope, String system, Path dir, String token, HttpServer server, ExecutorService ex) {
    this.scope = scope;
    this.system = system;
    this.dir = dir;
    this.token = token;
    this.server = server;
    this.exchanges = ex;
    this.table = new ServiceTable(scope);
    this.repl = new Repl(scope);
    this.subscription =
        scope.events(
            e -> {
              table.accept(e);
              String line = "data: " + json(ServiceTable.describe(e)) + "\n\n";
              synchronized (streams) {
                for (LinkedBlockingQueue<String> q : streams.keySet()) {
                  q.offer(line);
                }
              }
            });
  }

  /**
   * Serves the console of {@code scope} on {@code bind} (a loopback address unless the caller
   * chooses otherwise; port 0 picks one), writing the token and {@code console.json} (pid, port,
   * system) under {@code stateDir/console}.
   *
   * @throws IOException when the address cannot be bound or the files cannot be written
   */
  public static Console start(Scope scope, String system, Path stateDir, InetSocketAddress bind)
      throws IOException {
    return start(scope, system, stateDir, bind, Systems.dir());
  }

  /**
   * Like {@link #start(Scope, String, Path, InetSocketAddress)}, registering the system in {@code
   * systemsDir} (where {@code heddle status} and the other commands find running systems) instead
   * of the default ({@link Systems#dir()}).
   */
  public static Console start(
      Scope scope, String system, Path stateDir, InetSocketAddress bind, Path systemsDir)
      throws IOException {
    Path dir = stateDir.resolve("console");
    Files.createDirectories(dir);
    byte[] raw = new byte[24];
    new SecureRandom().nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    writePrivate(dir.resolve("token"), token);
    HttpServer server = HttpServer.create(bind, 64);
    ExecutorService ex =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("console/exchange-", 0).factory());
    server.setExecutor(ex);
    Console c = new Console(scope, system, dir, token, server, ex);
    server.createContext("/", c::handle);
    server.start();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("system", system);
    info.put("pid", ProcessHandle.current().pid());
    info.put("address", server.getAddress().getAddress().getHostAddress());
    info.put("port", server.getAddress().getPort());
    info.put("started", Instant.now().toString());
    info.put("tokenFile", dir.resolve("token").toAbsolutePath().toString());
    info.put("stateDir", stateDir.toAbsolutePath().toString());
    Path tmp = dir.resolve("console.json.tmp");
    Files.writeString(tmp, json(info) + "\n");
    Files.move(tmp, dir.resolve("console.json"), StandardCopyOption.ATOMIC_MOVE);
    c.registration = Systems.register(systemsDir, system, json(info));
    return c;
  }

  /** Serves on 127.0.0.1 with a port the kernel picks. */
  public static Console start(Scope scope, String system, Path stateDir) throws IOException {
    return start(
        scope, system, stateDir, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** The dashboard's URL with the token, for the user to open (like Jupyter's). */
  public String url() {
    return baseUrl() + "/?token=" + token;
  }

  /** {@code http://address:port}, without the token. */
  public String baseUrl() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The token (also in {@code <state>/console/token}). */
  public String token() {
    return token;
  }

  /** The system's name. */
  public String system() {
    return system;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscription.close();
    synchronized (open) {
      for (LinkedBlockingQueue<String> q : open.keySet()) {
        q.offer(""); // wakes the stream, which then sees `closed`
      }
    }
    server.stop(0);
    exchanges.shutdownNow();
    repl.close();
    try {
      exchanges.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (registration != null) {
        Files.deleteIfExists(registration);
      }
      Files.deleteIfExists(dir.resolve("console.json"));
      Files.deleteIfExists(dir.resolve("token"));
    } catch (IOException e) {
      // left for the next run to overwrite
    }
  }

  /**
   * Runs the system's Java shell on this terminal: reads snippets from {@code in} (an incomplete
   * one continues on the next line), prints values and errors to {@code out}, until {@code /exit},
   * the end of the input or {@code Ctrl-C} on an empty line. When {@code in} is {@code System.in}
   * and a terminal, lines are edited with JLine and kept in the history file ({@code
   * $XDG_STATE_HOME/heddle/repl_history}, else {@code ~/.local/state/heddle/repl_history});
   * otherwise they are read plainly. Blocks; the system keeps running meanwhile.
   *
   * @throws IOException when the input cannot be read or the terminal opened
   */
  @SuppressWarnings("ReferenceEquality") // meant: only the process's own stdin is its terminal
  public void interact(InputStream in, java.io.PrintStream out) throws IOException {
    try (ReplInput input =
        in == System.in && stdinIsATerminal()
            ? ReplInput.terminal(ReplInput.defaultHistory())
            : ReplInput.plain(in, out, true)) {
      ReplLoop.run(
          input,
          out,
          system,
          code -> {
            if (closed) {
              return new ReplLoop.Answer(List.of(), List.of("the console has closed"), "");
            }
            Repl.Result r = repl.eval(code, 120);
            return new ReplLoop.Answer(r.values(), r.errors(), r.remaining());
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("SystemConsoleNull") // NullAway's model of the JDK still says it may be null
  private static boolean stdinIsATerminal() {
    var console = System.console();
    return console != null && console.isTerminal();
  }

  // ---- requests ----

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      Map<String, String> query = query(x.getRequestURI());
      if (path.equals("/") || path.equals("/index.html")) {
        if (!authorized(x, query, false)) {
          return;
        }
        page(x);
        return;
      }
      if (!path.startsWith("/api/")) {
        error(x, 404, "no such page: " + path + "; the API is under /api/");
        return;
      }
      boolean mutation = method.equals("POST");
      if (!method.equals("GET") && !mutation) {
        x.getResponseHeaders().set("Allow", "GET, POST");
        error(x, 405, "method " + method + " is not allowed; use GET to read, POST to act");
        return;
      }
      if (!authorized(x, query, mutation)) {
        return;
      }
      route(x, method, path.substring("/api/".length()).split("/", -1), query);
    } catch (RuntimeException e) {
      error(x, 500, "internal error: " + e);
    }
  }

  private void route(HttpExchange x, String method, String[] p, Map<String, String> query)
      throws IOException {
    boolean get = method.equals("GET");
    if (p.length == 1 && p[0].equals("system") && get) {
      ok(x, Map.of("system", system, "pid", ProcessHandle.current().pid()));
    } else if (p.length == 1 && p[0].equals("services") && get) {
      ok(x, table.all());
    } else if (p.length == 1 && p[0].equals("events") && get) {
      int n = lines(x, query, 100);
      if (n > 0) {
        ok(x, table.recent(n).stream().map(ServiceTable::describe).toList());
      }
    } else if (p.length == 2 && p[0].equals("events") && p[1].equals("stream") && get) {
      eventStream(x);
    } else if (p.length == 1 && p[0].equals("repl") && !get) {
      repl(x);
    } else if (p.length == 1 && p[0].equals("stop") && !get) {
      ok(x, Map.of("stopping", system));
      scope.cancel();
    } else if (p.length >= 2 && p[0].equals("services")) {
      String name = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
      var handle = table.handle(name);
      if (handle.isEmpty()) {
        error(
            x,
            404,
            "no service '" + name + "' in system '" + system + "'; GET /api/services lists them");
        return;
      }
      service(x, get, p, handle.get(), query);
    } else {
      error(x, get ? 404 : 405, "no such endpoint: " + method + " " + x.getRequestURI().getPath());
    }
  }

  private void service(
      HttpExchange x, boolean get, String[] p, ServiceHandle h, Map<String, String> query)
      throws IOException {
    if (p.length == 2 && get) {
      ok(x, table.describe(h));
    } else if (p.length == 3 && p[2].equals("logs") && get) {
      int n = lines(x, query, 50);
      LogStream stream = stream(x, query);
      if (n > 0 && stream != null) {
        ok(
            x,
            Map.of(
                "service",
                h.name(),
                "stream",
                stream.name().toLowerCase(java.util.Locale.ROOT),
                "lines",
                h.current().tail(stream, n)));
      }
    } else if (p.length == 4 && p[2].equals("logs") && p[3].equals("stream") && get) {
      LogStream stream = stream(x, query);
      if (stream != null) {
        logStream(x, h, stream);
      }
    } else if (p.length == 3 && !get && List.of("restart", "stop", "start").contains(p[2])) {
      try {
        switch (p[2]) {
          case "restart" -> h.restart();
          case "stop" -> h.stop();
          default -> h.start();
        }
      } catch (IllegalStateException e) {
        error(x, 409, String.valueOf(e.getMessage()));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error(x, 503, "the console is closing");
        return;
      }
      ok(x, table.describe(h));
    } else {
      error(
          x,
          get ? 404 : 405,
          "no such endpoint: "
              + x.getRequestMethod()
              + " "
              + x.getRequestURI().getPath()
              + "; actions are POST …/restart, …/stop, …/start");
    }
  }

  private boolean authorized(HttpExchange x, Map<String, String> query, boolean mutation)
      throws IOException {
    String header = x.getRequestHeaders().getFirst("X-Heddle-Token");
    String bearer = x.getRequestHeaders().getFirst("Authorization");
    if (header == null && bearer != null && bearer.startsWith("Bearer ")) {
      header = bearer.substring("Bearer ".length());
    }
    String given = header != null ? header : mutation ? null : query.get("token");
    if (given == null) {
      if (mutation && query.containsKey("token")) {
        error(
            x,
            403,
            "actions need the token in the X-Heddle-Token header, not in the URL (so that a page"
                + " on another site cannot trigger them)");
      } else {
        error(
            x,
            401,
            "this console needs the system's token: open the URL the program printed, or send"
                + " X-Heddle-Token (it is in "
                + dir.resolve("token")
                + ")");
      }
      return false;
    }
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      error(x, 403, "wrong token for system '" + system + "' (it changes with every run)");
      return false;
    }
    return true;
  }

  private static int lines(HttpExchange x, Map<String, String> query, int fallback)
      throws IOException {
    String n = query.get("n");
    if (n == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(n);
      if (v >= 1 && v <= MAX_LINES) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    error(x, 400, "n must be a whole number from 1 to " + MAX_LINES + ", got '" + n + "'");
    return -1;
  }

  private static @Nullable LogStream stream(HttpExchange x, Map<String, String> query)
      throws IOException {
    String s = query.getOrDefault("stream", "stdout");
    return switch (s) {
      case "stdout" -> LogStream.STDOUT;
      case "stderr" -> LogStream.STDERR;
      default -> {
        error(x, 400, "stream must be stdout or stderr, got '" + s + "'");
        yield null;
      }
    };
  }

  private void repl(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readNBytes(MAX_REPL_BYTES + 1);
    if (body.length > MAX_REPL_BYTES) {
      error(x, 413, "a REPL input is at most " + MAX_REPL_BYTES + " bytes");
      return;
    }
    String code;
    try {
      code = JSON.readTree(body).path("code").asText("");
    } catch (IOException e) {
      error(
          x, 400, "the body must be JSON like {\"code\": \"scope.services()\"}: " + e.getMessage());
      return;
    }
    try {
      Repl.Result r = repl.eval(code, 120);
      ok(x, Map.of("values", r.values(), "errors", r.errors(), "remaining", r.remaining()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(x, 503, "the console is closing");
    }
  }

  // ---- streams (server-sent events) ----

  private void eventStream(HttpExchange x) throws IOException {
    LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>(STREAM_BACKLOG);
    streams.put(q, Boolean.TRUE);
    open.put(q, Boolean.TRUE);
    try {
      sse(x, q);
    } finally {
      streams.remove(q);
      open.remove(q);
    }
  }

  /** Marks a raw log line in a stream's queue; consecutive ones go out as one message. */
  private static final String LINE = "\u0001";

  /** At most this many queued messages are written (and log lines batched) per write. */
  private static final int BATCH = 2000;

  /** Marks a new incarnation in a log stream's queue: the stream then follows that one. */
  private static final String SWITCH = "\u0000switch";

  /**
   * Follows one log of a service across its restarts: when a new incarnation starts, the stream
   * says so and follows that one (the switch runs on the stream's thread, not the supervisor's).
   */
  private void logStream(HttpExchange x, ServiceHandle h, LogStream stream) throws IOException {
    LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>(STREAM_BACKLOG);
    open.put(q, Boolean.TRUE);
    Scope.Subscription restarts =
        scope.events(
            e -> {
              if (e instanceof Event.Started && e.service().equals(h.name())) {
                q.offer(SWITCH);
              }
            });
    // only this thread touches it: the stream's loop switches it, the finally closes it
    dev.heddle.HostProcess.Following[] following = {follow(h, stream, q)};
    try {
      sse(
          x,
          q,
          () -> {
            following[0].close();
            q.offer(LINE + "── " + h.name() + " #" + h.current().incarnation() + " ──");
            following[0] = follow(h, stream, q);
          });
    } finally {
      following[0].close();
      restarts.close();
      open.remove(q);
    }
  }

  private static dev.heddle.HostProcess.Following follow(
      ServiceHandle h, LogStream stream, LinkedBlockingQueue<String> q) {
    return h.current().follow(stream, line -> q.offer(LINE + line));
  }

  private void sse(HttpExchange x, LinkedBlockingQueue<String> q) throws IOException {
    sse(x, q, () -> {});
  }

  private void sse(HttpExchange x, LinkedBlockingQueue<String> q, Runnable onSwitch)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      List<String> batch = new java.util.ArrayList<>();
      List<String> lines = new java.util.ArrayList<>();
      while (!closed) {
        String next = q.poll(15, TimeUnit.SECONDS);
        if (next == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        // everything queued meanwhile goes out in one write; log lines in one message
        batch.clear();
        batch.add(next);
        q.drainTo(batch, BATCH);
        StringBuilder chunk = new StringBuilder();
        for (String item : batch) {
          if (item.startsWith(LINE)) {
            lines.add(item.substring(LINE.length()));
            continue;
          }
          appendLines(chunk, lines);
          if (SWITCH.equals(item)) {
            onSwitch.run();
          } else {
            chunk.append(item);
          }
        }
        appendLines(chunk, lines);
        if (!chunk.isEmpty()) {
          out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the console is closing
    } catch (IOException gone) {
      // the client went away
    }
  }

  private static void appendLines(StringBuilder chunk, List<String> lines) {
    if (!lines.isEmpty()) {
      chunk.append("data: ").append(json(Map.of("lines", lines))).append("\n\n");
      lines.clear();
    }
  }

  // ---- responses ----

  private void page(HttpExchange x) throws IOException {
    byte[] body;
    try (InputStream in = Console.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        error(x, 500, "the dashboard page is missing from the jar");
        return;
      }
      body = in.readAllBytes();
    }
    x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'");
    x.sendResponseHeaders(200, body.length);
    x.getResponseBody().write(body);
  }

  private static void ok(HttpExchange x, Object value) throws IOException {
    send(x, 200, json(value));
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    send(x, status, json(Map.of("error", message, "status", status)));
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
