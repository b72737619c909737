package dev.heddle.internal.agent;

import dev.heddle.Command;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.ListeningSocket;
import dev.heddle.ProcessSpec;
import dev.heddle.SocketSpec;
import dev.heddle.agent.internal.protocol.Frame;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** A {@link Host} whose every operation is a request to that host's agent. */
public final class AgentHost implements Host {
  private static final long REQUEST_TIMEOUT_S = 120;
  private final String name;
  private final Path stateDir;
  private volatile AgentConnection agent;

  /** How to reach the agent again when the connection drops (SSH), or null: a drop is the end. */
  private final @Nullable Reconnector reconnector;

  private volatile @Nullable String store;

  private final java.time.Duration reconnectFor;
  private volatile boolean closing;

  /** Set once the first hello was answered: only an established connection is made again. */
  private volatile boolean established;

  /**
   * Incomplete while a reconnect runs; completes when it ends (made again or given up). Requests
   * wait for it. Replaced under this host's monitor.
   */
  private volatile java.util.concurrent.CompletableFuture<Void> reconnected =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  /** Opens a new connection to the same agent (a new SSH session and bridge). */
  public interface Reconnector {
    AgentConnection reconnect() throws Exception;
  }

  private final @Nullable Process agentProcess;
  private final Map<String, AgentProcess> processes = new ConcurrentHashMap<>();
  private final boolean handover;
  private volatile boolean committed;
  private final List<String> detachedExits = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Handover mode: what an earlier controller left running, until adopted (guarded by itself). */
  private final List<Map<String, Object>> adoptable = new ArrayList<>();

  /**
   * Events for a process whose spawn reply has been read but not yet registered by the thread that
   * asked: the reader completes the reply's future and reads on, so an early exit can arrive first.
   * Guarded by itself; no I/O inside.
   */
  private final Map<String, List<Frame>> unclaimed = new java.util.HashMap<>();

  private static final int MAX_UNCLAIMED = 10_000;

  /**
   * Processes whose exit was delivered, most recent last: kept only so that their late events (log
   * lines of a follow) still reach them instead of waiting as unclaimed. Bounded, so a host that
   * spawns for days does not grow; guarded by {@link #unclaimed}.
   */
  private final Map<String, AgentProcess> retired =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AgentProcess> eldest) {
          return size() > MAX_RETIRED;
        }
      };

  private static final int MAX_RETIRED = 1_000;
  private final Map<String, Object> hello;

  /**
   * A host over an open connection to its agent; says hello (blocks for that round trip).
   *
   * @param agentProcess the agent's process when this JVM started it (waited for on close)
   * @throws HeddleException when the agent refuses the hello or the connection is lost first
   */
  public AgentHost(
      String name, Path stateDir, AgentConnection agent, @Nullable Process agentProcess) {
    this(name, stateDir, agent, agentProcess, null, java.time.Duration.ZERO);
  }

  /**
   * As {@link #AgentHost(String, Path, AgentConnection, Process)}, reconnecting through {@code
   * reconnector} when the connection drops, with backoff (100 ms doubling to 2 s) for up to {@code
   * reconnectFor}: the agent keeps its services that long (session mode with a grace period, or
   * handover mode). Processes are reported lost only when no reconnect succeeded by then.
   */
  public AgentHost(
      String name,
      Path stateDir,
      AgentConnection agent,
      @Nullable Process agentProcess,
      @Nullable Reconnector reconnector,
      java.time.Duration reconnectFor) {
    this.name = name;
    this.stateDir = stateDir;
    this.agent = agent;
    this.agentProcess = agentProcess;
    this.reconnector = reconnector;
    this.reconnectFor = reconnectFor;
    listen(agent);
    this.hello =
        call(
                null,
                "hello",
                Map.of("protocol", (long) Frame.VERSION, "host", name, "controller", whoAmI()))
            .body()
            .map();
    this.handover = "handover".equals(hello.get("mode"));
    if (handover) {
      adoptable.addAll(running());
    }
    established = true;
  }

  /**
   * How the agent names this controller to a second one it refuses: the pid, the host and the
   * program (its main class or jar, never its arguments, which may hold secrets).
   */
  static String whoAmI() {
    var info = ProcessHandle.current().info();
    String program =
        System.getProperty("sun.java.command", info.command().orElse("?")).split(" ", 2)[0];
    String hostName;
    try {
      hostName = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      hostName = "?";
    }
    return "the program "
        + program
        + " (pid "
        + ProcessHandle.current().pid()
        + " on "
        + hostName
        + ")";
  }

  /** Whether the agent runs in handover mode (its services outlive this controller). */
  public boolean handover() {
    return handover;
  }

  @Override
  public Optional<HostProcess> adopt(ProcessSpec spec) {
    List<Object> command = new ArrayList<>();
    command.add(spec.command().program());
    command.addAll(spec.command().args());
    Map<String, Object> found = null;
    synchronized (adoptable) {
      for (var it = adoptable.iterator(); it.hasNext(); ) {
        Map<String, Object> m = it.next();
        if (spec.service().equals(m.get("service")) && command.equals(m.get("command"))) {
          it.remove();
          found = m;
          break;
        }
      }
    }
    if (found == null) {
      return Optional.empty();
    }
    AgentProcess p = new AgentProcess(this, Reply.of(name, "list", found));
    p.adopted();
    register(p); // an exit reported while no controller was attached is applied now
    System.getLogger("dev.heddle")
        .log(
            System.Logger.Level.INFO,
            "adopted " + p.processId() + " (pid " + p.pid() + ") on " + name + ", left running");
    return Optional.of(p);
  }

  /** What the agent said about itself: version, pid, containment. */
  public Map<String, Object> agentInfo() {
    return hello;
  }

  /** The agent's process, when this controller started it. */
  public @Nullable Process agentProcess() {
    return agentProcess;
  }

  /** The connection to the agent. */
  public AgentConnection connection() {
    return agent;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Path stateDir() {
    return stateDir;
  }

  @Override
  public ListeningSocket listen(SocketSpec spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    switch (spec) {
      case SocketSpec.Tcp t -> {
        body.put("kind", "tcp");
        body.put("host", t.host());
        body.put("port", (long) t.port());
      }
      case SocketSpec.Unix u -> {
        body.put("kind", "unix");
        body.put("path", u.path().toString());
      }
    }
    Reply r = call(null, "listen", body);
    String id = r.string("socketId");
    String sockName = r.string("name");
    if ("tcp".equals(r.string("kind"))) {
      return new ListeningSocket(
          name, id, sockName, new InetSocketAddress(r.string("host"), r.intNumber("port")), null);
    }
    return new ListeningSocket(name, id, sockName, null, Path.of(r.string("path")));
  }

  @Override
  public void close(ListeningSocket socket) {
    call(null, "closeSocket", Map.of("socketId", socket.id()));
  }

  @Override
  public HostProcess spawn(ProcessSpec spec) {
    Command c = spec.command();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", spec.service());
    body.put("executable", c.program());
    body.put("args", c.args());
    body.put("env", c.env());
    body.put("inheritEnv", c.inheritsEnv());
    if (c.cwd() != null) {
      body.put("cwd", Objects.requireNonNull(c.cwd()).toString());
    }
    body.put("sockets", spec.sockets().stream().map(s -> (Object) s.id()).toList());
    body.put("stopSignal", spec.stopSignal().name());
    body.put("stopGraceMs", spec.stopGrace().toMillis());
    body.put("logMaxBytes", spec.logMaxBytes());
    body.put("logKeep", (long) spec.logKeep());
    if (spec.keepSpare()) {
      body.put("spare", true);
    }
    for (ListeningSocket s : spec.sockets()) {
      if (!s.host().equals(name)) {
        throw new HeddleException(
            name,
            spec.service(),
            "WRONG_HOST",
            "Cannot start service '"
                + spec.service()
                + "' on host '"
                + name
                + "': its listening socket "
                + s.id()
                + " lives on host '"
                + s.host()
                + "'. Create the socket on the host the service runs on.");
      }
    }
    Reply r = call(spec.service(), "spawn", body);
    AgentProcess p = new AgentProcess(this, r);
    register(p);
    return p;
  }

  @Override
  public List<String> stopUnadopted() {
    List<String> stopped = stopLeft(null);
    committed = true; // from now on this program owns what it adopted
    return stopped;
  }

  /** Whether {@link #stopUnadopted} committed this program's takeover of what it adopted. */
  boolean takeoverCommitted() {
    return committed;
  }

  @Override
  public List<String> retireUnadopted(String service) {
    return stopLeft(service);
  }

  /** Stops what the earlier program left of service (null: of every service) and nobody adopted. */
  private List<String> stopLeft(@Nullable String service) {
    List<Map<String, Object>> left = new ArrayList<>();
    synchronized (adoptable) {
      for (var it = adoptable.iterator(); it.hasNext(); ) {
        Map<String, Object> m = it.next();
        if (service == null || service.equals(m.get("service"))) {
          left.add(m);
          it.remove();
        }
      }
    }
    List<String> stopped = new ArrayList<>();
    for (Map<String, Object> m : left) {
      String processId = String.valueOf(m.get("processId"));
      var _ = call(String.valueOf(m.get("service")), "stop", Map.of("processId", processId));
      stopped.add(processId);
      System.getLogger("dev.heddle")
          .log(
              System.Logger.Level.INFO,
              "stopped "
                  + processId
                  + " on "
                  + name
                  + ": left by an earlier program, not adopted (its command differs, or this"
                  + " program does not start it)");
    }
    return stopped;
  }

  /** Makes p known to the event dispatch, then applies the events that came for it before. */
  private void register(AgentProcess p) {
    List<Frame> early;
    synchronized (unclaimed) {
      processes.put(p.processId(), p);
      early = unclaimed.remove(p.processId());
    }
    if (early != null) {
      early.forEach(this::onEvent);
    }
  }

  /**
   * Where {@link #deploy} stores artifacts on this host: an absolute path, or one relative to the
   * agent user's home; null for the default, {@code ~/.cache/heddle/store}.
   */
  public void storeDir(@Nullable String dir) {
    this.store = dir;
  }

  @Override
  public List<Path> deploy(
      List<dev.heddle.Artifact> artifacts, dev.heddle.DeployProgress progress) {
    return Deployer.deploy(this, store, artifacts, progress);
  }

  @Override
  public Path mkdirs(Path dir) {
    return Path.of(call(null, "mkdirs", Map.of("path", dir.toString())).string("path"));
  }

  @Override
  public Path mkdtemp(String prefix) {
    return Path.of(call(null, "mkdtemp", Map.of("prefix", prefix)).string("path"));
  }

  private void listen(AgentConnection c) {
    c.onEvent(
        event -> {
          if ("connectionLost".equals(event.type()) && reconnector != null) {
            if (c == agent && established && !closing && startReconnecting()) {
              String why = String.valueOf(event.body().get("reason"));
              Thread.ofVirtual()
                  .name("agent-client/" + name + "/reconnect")
                  .start(() -> reconnect(why));
            }
            return; // a stale connection's end, or a close: nothing to tell the processes yet
          }
          onEvent(event);
        });
  }

  private synchronized boolean startReconnecting() {
    if (!reconnected.isDone()) {
      return false; // one reconnect at a time
    }
    reconnected = new java.util.concurrent.CompletableFuture<>();
    return true;
  }

  /**
   * Reconnects after the connection dropped: new connections until one answers its hello (which
   * replays the events meanwhile) or {@link #reconnectFor} has passed; then the processes are lost.
   */
  private void reconnect(String why) {
    try {
      reconnectLoop(why);
    } finally {
      reconnected.complete(null);
    }
  }

  private void reconnectLoop(String why) {
    agent.close(); // the dropped connection's transport (an SSH session and its threads) goes
    long start = System.nanoTime();
    long deadline = start + reconnectFor.toNanos();
    long delayMs = 100;
    var log = System.getLogger("dev.heddle");
    log.log(
        System.Logger.Level.WARNING,
        "the connection to the agent on "
            + name
            + " was lost ("
            + why
            + "); reconnecting for up to "
            + reconnectFor.toSeconds()
            + " s, while the agent keeps its services");
    String last = why;
    while (!closing && System.nanoTime() < deadline) {
      AgentConnection c = null;
      try {
        c = java.util.Objects.requireNonNull(reconnector).reconnect();
        listen(c); // the hello's reply is followed by the events kept meanwhile
        var _ =
            c.request(
                    "hello",
                    Map.of("protocol", (long) Frame.VERSION, "host", name, "controller", whoAmI()))
                .get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
        synchronized (this) {
          if (closing) { // closed meanwhile: this connection is nobody's
            c.close();
            return;
          }
          agent = c;
        }
        log.log(
            System.Logger.Level.WARNING,
            "reconnected to the agent on "
                + name
                + " after "
                + (System.nanoTime() - start) / 1_000_000
                + " ms; its services ran on");
        return;
      } catch (Exception e) {
        last = String.valueOf(e.getMessage());
        if (c != null) {
          c.close();
        }
      }
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        break;
      }
      delayMs = Math.min(delayMs * 2, 2_000);
    }
    String reason =
        "the connection to the agent on "
            + name
            + " was lost and could not be made again within "
            + reconnectFor.toSeconds()
            + " s (last: "
            + last
            + ")";
    for (AgentProcess each : processes.values()) {
      each.lost(reason);
    }
  }

  private void onEvent(Frame event) {
    AgentProcess p = null;
    if (event.body().get("processId") instanceof String id) {
      synchronized (unclaimed) {
        p = processes.get(id);
        if (p == null) {
          p = retired.get(id);
        } else if ("exited".equals(event.type())) {
          processes.remove(id);
          retired.put(id, p);
        }
        if (p == null && unclaimed.size() < MAX_UNCLAIMED) {
          unclaimed.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(event);
          return;
        }
      }
    }
    switch (event.type()) {
      case "exited" -> {
        if (p != null) {
          p.exited(Reply.of(name, event.type(), event.body()));
        }
      }
      case "log" -> {
        if (p != null) {
          p.logLines(Reply.of(name, event.type(), event.body()));
        }
      }
      case "missed" -> reportMissed(event);
      case "warning" ->
          System.getLogger("dev.heddle")
              .log(System.Logger.Level.WARNING, String.valueOf(event.body().get("message")));
      case "connectionLost" -> {
        for (AgentProcess each : processes.values()) {
          each.lost(String.valueOf(event.body().get("reason")));
        }
      }
      default -> {}
    }
  }

  /**
   * The agent's events from while no controller was attached have all arrived (they come right
   * after the hello, then this marker): reports the exits among them, of processes nobody here
   * adopted, which otherwise nobody would hear of.
   */
  private void reportMissed(Frame marker) {
    List<String> exits = new ArrayList<>();
    synchronized (unclaimed) {
      for (List<Frame> frames : unclaimed.values()) {
        for (Frame f : frames) {
          if ("exited".equals(f.type())) {
            exits.add(
                f.body().get("processId")
                    + " (pid "
                    + f.body().get("pid")
                    + ") "
                    + AgentProcess.status(Reply.of(name, f.type(), f.body()))
                    + " at "
                    + f.body().get("at"));
          }
        }
      }
    }
    detachedExits.addAll(exits);
    for (String e : exits) {
      System.getLogger("dev.heddle")
          .log(
              System.Logger.Level.WARNING,
              "while no controller was attached, on " + name + ": " + e);
    }
    Object dropped = marker.body().get("dropped");
    if (dropped instanceof Long n && n > 0) {
      System.getLogger("dev.heddle")
          .log(
              System.Logger.Level.WARNING,
              n + " older events from while no controller was attached were not kept");
    }
  }

  /** Exits that happened on this host while no controller was attached (handover mode). */
  public List<String> exitsWhileDetached() {
    return List.copyOf(detachedExits);
  }

  /** Whether the agent still runs a service process (asked at close, in handover mode). */
  private boolean runsServices() {
    try {
      return !running().isEmpty();
    } catch (HeddleException e) {
      return false; // the agent is unreachable: nothing to keep it for
    }
  }

  /** The agent's running processes, as its {@code list} describes them. */
  private List<Map<String, Object>> running() {
    List<Map<String, Object>> out = new ArrayList<>();
    if (call(null, "list", Map.of()).body().map().get("processes") instanceof List<?> all) {
      for (Object o : all) {
        if (o instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("running"))) {
          Map<String, Object> described = new LinkedHashMap<>();
          m.forEach((k, v) -> described.put(String.valueOf(k), v));
          out.add(described);
        }
      }
    }
    return out;
  }

  /**
   * {@link #call} of a request that may safely be sent twice: when the connection drops before the
   * reply, it is sent again on the next connection, for as long as this host reconnects.
   */
  Reply callAgain(String type, Map<String, Object> body) {
    long deadline = System.nanoTime() + reconnectFor.toNanos() + 1_000_000_000L;
    while (true) {
      try {
        return call(null, type, body);
      } catch (HeddleException e) {
        if (!"CONNECTION_LOST".equals(e.code())
            || reconnector == null
            || closing
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50); // until the reconnect has begun; call then waits for it to end
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HeddleException(name, null, "INTERRUPTED", "interrupted waiting for " + type);
      }
    }
  }

  /** One request, waited for; an agent error becomes a {@link HeddleException} with its code. */
  Reply call(@Nullable String service, String type, Map<String, Object> body) {
    try {
      // sent while the connection is being made again: on the next one
      reconnected.get(reconnectFor.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      Frame reply = agent.request(type, body).get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
      return Reply.of(name, type, reply.body());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentError ae) {
        String message =
            "CONNECTION_LOST".equals(ae.code())
                ? "The connection to the agent on host '"
                    + name
                    + "' was lost during '"
                    + type
                    + "': "
                    + ae.getMessage()
                : String.valueOf(ae.getMessage());
        throw new HeddleException(name, service, ae.code(), message, ae);
      }
      throw new HeddleException(name, service, "AGENT_FAILURE", String.valueOf(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new HeddleException(
          name,
          service,
          "AGENT_TIMEOUT",
          "The agent on host '"
              + name
              + "' did not answer '"
              + type
              + "' within "
              + REQUEST_TIMEOUT_S
              + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeddleException(name, service, "INTERRUPTED", "interrupted waiting for " + type);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    if (handover && !agent.closed().isDone() && runsServices()) {
      agent.close(); // detach: its services keep running for the next controller
      LocalHosts.forget(this);
      return;
    }
    if (!agent.closed().isDone()) {
      try {
        agent.request("shutdown", Map.of()).get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the agent also shuts down when the connection closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (agentProcess != null) {
      try {
        if (!agentProcess.waitFor(REQUEST_TIMEOUT_S, TimeUnit.SECONDS)) {
          agentProcess.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    agent.close();
    LocalHosts.forget(this);
  }
}
