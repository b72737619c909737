package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Fds;
import dev.heddle.agent.internal.os.OsException;
import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.os.Signals;
import dev.heddle.agent.internal.os.Sockets;
import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.Frame;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Dispatches requests to their handlers. Each request runs on its own virtual thread. */
final class Requests {
  static final List<String> KNOWN =
      List.of(
          "hello",
          "ping",
          "listen",
          "closeSocket",
          "spawn",
          "dropSpare",
          "stop",
          "signal",
          "list",
          "tail",
          "follow",
          "unfollow",
          "awaitReady",
          "mkdirs",
          "mkdtemp",
          "storeHave",
          "storeBegin",
          "storeWrite",
          "storeCommit",
          "storeAbort",
          "upgrade",
          "shutdown");
  private final Agent agent;
  private final Spawns spawns;
  private final Store store;
  private final Map<Long, Follower> follows = new ConcurrentHashMap<>();
  private final AtomicLong nextFollow = new AtomicLong();

  Requests(Agent agent) {
    this.agent = agent;
    this.spawns = new Spawns(agent);
    this.store = new Store(agent.options.hostLabel());
  }

  void handle(Connection c, Frame request) {
    try {
      if (!KNOWN.contains(request.type())) {
        throw new ProtocolException(
            ProtocolException.Code.UNKNOWN_REQUEST,
            "unknown request '"
                + request.type()
                + "'; this agent (version "
                + Agent.VERSION
                + ") knows: "
                + String.join(", ", KNOWN));
      }
      if (!"hello".equals(request.type()) && !agent.isController(c)) {
        throw new AgentError(
            "NOT_ATTACHED", "send 'hello' first: this connection is not the agent's controller");
      }
      Map<String, Object> reply = dispatch(c, request, request.fields());
      c.reply(request, reply);
      if ("spawn".equals(request.type())) {
        spawns.announced(String.valueOf(reply.get("processId")));
      } else if ("hello".equals(request.type())
          && agent.options.keepsEvents()
          && request.fields().flag("replay", true)) {
        agent.replayMissed(c);
      } else if ("upgrade".equals(request.type())) {
        List<String> command = request.fields().strings("command");
        Thread.ofPlatform()
            .name("agent/upgrade")
            .start(() -> InPlaceUpgrade.handOver(agent, command));
      }
    } catch (ProtocolException e) {
      c.send(
          Frame.error(
              request.id(), request.type(), e.code().name(), String.valueOf(e.getMessage())));
    } catch (AgentError e) {
      c.send(Frame.error(request.id(), request.type(), e.code, String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      c.send(
          Frame.error(request.id(), request.type(), "INTERRUPTED", "the agent is shutting down"));
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("request " + request.type() + " failed", e);
      c.send(
          Frame.error(
              request.id(),
              request.type(),
              "AGENT_FAILURE",
              "the agent on host '" + agent.options.hostLabel() + "' failed: " + e));
    }
  }

  private Map<String, Object> dispatch(Connection c, Frame request, Body body)
      throws ProtocolException, AgentError, InterruptedException, IOException {
    return switch (request.type()) {
      case "hello" -> hello(c, body);
      case "ping" -> Map.of("uptimeMs", agent.uptime().toMillis());
      case "listen" -> listen(body);
      case "closeSocket" -> closeSocket(body);
      case "spawn" -> spawns.spawn(body);
      case "dropSpare" -> {
        agent.spares.dropFor(body.string("service"));
        yield Map.of();
      }
      case "stop" -> stop(body);
      case "signal" -> signal(body);
      case "list" ->
          Map.of("processes", agent.snapshot().stream().map(p -> (Object) p.describe()).toList());
      case "tail" -> tail(body);
      case "follow" -> follow(c, body);
      case "unfollow" -> unfollow(body);
      case "awaitReady" -> spawns.awaitReady(body);
      case "mkdirs" -> mkdirs(body);
      case "mkdtemp" -> mkdtemp(body);
      case "storeHave" -> store.have(body);
      case "storeBegin" -> store.begin(body);
      case "storeWrite" -> store.write(body);
      case "storeCommit" -> store.commit(body);
      case "storeAbort" -> store.abort(body);
      case "upgrade" -> {
        InPlaceUpgrade.check(agent, body.strings("command"));
        agent.stopAccepting();
        yield Map.of("pid", (long) Processes.getpid(), "build", agent.options.build());
      }
      case "shutdown" -> {
        Thread.ofVirtual().name("agent/shutdown").start(() -> agent.shutdown("requested"));
        yield Map.of();
      }
      default -> throw new IllegalStateException("no handler for " + request.type());
    };
  }

  private Map<String, Object> hello(Connection c, Body body) throws ProtocolException, AgentError {
    long protocol = body.optNumber("protocol", Frame.VERSION);
    if (protocol != Frame.VERSION) {
      throw new AgentError(
          "UNSUPPORTED_VERSION",
          "the controller speaks protocol " + protocol + ", this agent " + Frame.VERSION);
    }
    if (agent.upgrading) {
      throw new AgentError(
          "AGENT_UPGRADING",
          "this agent is being replaced by its new program under the same pid; connect again in a"
              + " moment");
    }
    Connection holder = agent.attach(c);
    if (holder != null) {
      String first = holder.controllerName;
      throw new AgentError(
          "CONTROLLER_ATTACHED",
          "this agent (state directory "
              + agent.options.stateDir()
              + ") already serves another controller"
              + (first == null ? "" : ": " + first)
              + (holder.attachedAt == null ? "" : ", attached at " + holder.attachedAt)
              + "; a second controller is refused. Stop that program first (or, if it hangs,"
              + " kill it: the services stay with the agent).");
    }
    if (c.attachedAt == null) {
      c.controllerName = body.optString("controller");
      c.attachedAt = java.time.Instant.now();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agentVersion", Agent.VERSION);
    m.put("protocol", (long) Frame.VERSION);
    m.put("pid", (long) Processes.getpid());
    m.put("stateDir", agent.options.stateDir().toString());
    m.put("containment", agent.cgroups != null ? "cgroup" : "process-group");
    m.put("containmentNote", agent.containmentNote);
    m.put("mode", agent.options.handover() ? "handover" : "session");
    m.put("build", agent.options.build());
    m.put("graceMs", agent.options.grace().toMillis());
    return m;
  }

  private Map<String, Object> listen(Body body) throws ProtocolException, AgentError {
    String kind = body.string("kind");
    int backlog = (int) body.optNumber("backlog", 1024);
    if (agent.options.handover()) {
      // the same address as a socket held from an earlier controller: that socket, which its
      // services still accept on (handover keeps the port bound across controllers)
      for (ListeningSocket held : agent.sockets.values()) {
        boolean same =
            "tcp".equals(kind)
                ? held.kind().equals("tcp")
                    && body.intNumber("port") != 0
                    && held.host().equals(body.string("host"))
                    && held.port() == body.intNumber("port")
                : held.kind().equals("unix") && body.string("path").equals(held.path());
        if (same) {
          Map<String, Object> m = held.describe();
          m.put("reused", true);
          return m;
        }
      }
    }
    String id = "s" + agent.nextSocket.incrementAndGet();
    String name = body.optString("name") == null ? id : body.string("name");
    ListeningSocket socket;
    try {
      socket =
          switch (kind) {
            case "tcp" -> {
              String host = body.string("host");
              int port = body.intNumber("port");
              int fd = Sockets.listenTcp(host, port, backlog);
              int bound = Sockets.localTcpAddress(fd).getPort();
              yield new ListeningSocket(id, name, kind, fd, host, bound, null);
            }
            case "unix" -> {
              String path = body.string("path");
              int fd = Sockets.listenUnix(Path.of(path), backlog);
              yield new ListeningSocket(id, name, kind, fd, "", 0, path);
            }
            default ->
                throw new ProtocolException(
                    ProtocolException.Code.BAD_REQUEST,
                    "unknown socket kind '" + kind + "'; known: tcp, unix");
          };
    } catch (OsException e) {
      String where =
          "tcp".equals(kind)
              ? body.string("host") + ":" + body.number("port")
              : body.string("path");
      String advice =
          e.errno() == dev.heddle.agent.internal.os.Errno.EADDRINUSE
              ? " The port is already in use: stop whatever holds it, pick another port, or pass"
                  + " port 0 to let the host choose one."
              : "";
      throw new AgentError(
          e.errno() == dev.heddle.agent.internal.os.Errno.EADDRINUSE ? "PORT_IN_USE" : "OS_ERROR",
          "Cannot listen on "
              + where
              + " on host '"
              + agent.options.hostLabel()
              + "': "
              + e.getMessage()
              + "."
              + advice);
    }
    agent.sockets.put(id, socket);
    agent.saveState();
    return socket.describe();
  }

  private Map<String, Object> closeSocket(Body body) throws ProtocolException, AgentError {
    String id = body.string("socketId");
    ListeningSocket s = agent.sockets.remove(id);
    if (s == null) {
      throw new AgentError("NOT_FOUND", "no socket '" + id + "' on this agent");
    }
    agent.spares.dropUsing(id); // a spare holds a copy: the port would stay bound
    Fds.close(s.fd());
    agent.saveState();
    return Map.of("socketId", id);
  }

  private Map<String, Object> stop(Body body)
      throws ProtocolException, AgentError, InterruptedException {
    String processId = body.string("processId");
    if (spawns.retiredLogDir(processId) != null) {
      return Map.of("processId", processId, "escalated", false); // exited, and reported so
    }
    ManagedProcess p = spawns.find(processId);
    int signal = body.optString("signal") == null ? p.stopSignal : parseSignal(body);
    Duration grace = Duration.ofMillis(body.optNumber("graceMs", p.stopGrace.toMillis()));
    Stopper.Outcome outcome =
        agent.stopper.stop(
            p,
            signal,
            grace,
            w -> agent.event("warning", Map.of("processId", p.processId, "message", w)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processId", p.processId);
    if (outcome.status() != null) {
      m.putAll(ManagedProcess.describe(outcome.status()));
    }
    m.put("escalated", outcome.escalated());
    if (outcome.warning() != null) {
      m.put("warning", outcome.warning());
    }
    return m;
  }

  private Map<String, Object> signal(Body body) throws ProtocolException, AgentError {
    String processId = body.string("processId");
    int signal = parseSignal(body);
    if (spawns.retiredLogDir(processId) != null) {
      throw new AgentError("NOT_RUNNING", processId + " has already exited");
    }
    ManagedProcess p = spawns.find(processId);
    if (p.exit.isDone()) {
      throw new AgentError("NOT_RUNNING", p.processId + " has already exited");
    }
    if (body.flag("group", false)) {
      Processes.killGroup(p.pid(), signal);
    } else {
      try {
        Processes.signal(p.spawned.pidfd(), signal);
      } catch (OsException e) {
        throw new AgentError("OS_ERROR", "cannot signal " + p.processId + ": " + e.getMessage());
      }
    }
    return Map.of("processId", p.processId);
  }

  private static int parseSignal(Body body) throws ProtocolException {
    String s = body.string("signal");
    try {
      return Signals.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolException.Code.BAD_REQUEST,
          "unknown signal '" + s + "' (use TERM, INT, KILL, 15…)");
    }
  }

  private Map<String, Object> tail(Body body) throws ProtocolException, AgentError, IOException {
    String processId = body.string("processId");
    String stream = stream(body);
    int lines = (int) Math.min(Math.max(body.optNumber("lines", 20), 0), 100_000);
    Path retired = spawns.retiredLogDir(processId);
    Path file =
        retired != null ? retired.resolve(stream + ".log") : spawns.find(processId).log(stream);
    return Map.of(
        "processId", processId, "stream", stream, "lines", List.copyOf(LogFiles.tail(file, lines)));
  }

  private Map<String, Object> follow(Connection c, Body body)
      throws ProtocolException, AgentError, IOException {
    ManagedProcess p = spawns.find(body.string("processId"));
    String stream = stream(body);
    Path file = p.log(stream);
    long start = body.flag("fromStart", false) || !Files.exists(file) ? 0 : Files.size(file);
    long id = nextFollow.incrementAndGet();
    Follower f =
        new Follower(
            file,
            start,
            lines ->
                c.send(
                    Frame.event(
                        "log",
                        Map.of(
                            "followId",
                            id,
                            "processId",
                            p.processId,
                            "stream",
                            stream,
                            "lines",
                            List.copyOf(lines)))));
    follows.put(id, f);
    Thread.ofVirtual().name("agent/follow/" + p.processId + "/" + stream).start(f);
    return Map.of("followId", id, "offset", start);
  }

  private Map<String, Object> unfollow(Body body) throws ProtocolException, AgentError {
    long id = body.number("followId");
    Follower f = follows.remove(id);
    if (f == null) {
      throw new AgentError("NOT_FOUND", "no follow " + id);
    }
    f.stop();
    return Map.of("followId", id);
  }

  private Map<String, Object> mkdirs(Body body) throws ProtocolException, AgentError {
    Path dir = Path.of(body.string("path"));
    try {
      return Map.of("path", Files.createDirectories(dir).toAbsolutePath().toString());
    } catch (IOException e) {
      throw new AgentError(
          "OS_ERROR",
          "Cannot create directory " + dir + " on host '" + agent.options.hostLabel() + "': " + e);
    }
  }

  private Map<String, Object> mkdtemp(Body body) throws ProtocolException, AgentError {
    String prefix = body.string("prefix");
    if (prefix.contains("/")) {
      throw new ProtocolException(
          ProtocolException.Code.BAD_REQUEST, "mkdtemp prefix must not contain '/': " + prefix);
    }
    try {
      return Map.of("path", Files.createTempDirectory(prefix).toAbsolutePath().toString());
    } catch (IOException e) {
      throw new AgentError(
          "OS_ERROR",
          "Cannot create a temporary directory on host '" + agent.options.hostLabel() + "': " + e);
    }
  }

  private static String stream(Body body) throws ProtocolException {
    String stream = body.optString("stream") == null ? "stdout" : body.string("stream");
    if (!stream.equals("stdout") && !stream.equals("stderr")) {
      throw new ProtocolException(
          ProtocolException.Code.BAD_REQUEST,
          "stream must be stdout or stderr, got '" + stream + "'");
    }
    return stream;
  }

  Spawns spawns() {
    return spawns;
  }

  void disconnected(Connection c) {
    if (agent.isController(c)) {
      follows.values().forEach(Follower::stop);
      follows.clear();
    }
    agent.disconnected(c);
  }
}
