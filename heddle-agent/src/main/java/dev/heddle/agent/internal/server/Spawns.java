package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Fds;
import dev.heddle.agent.internal.os.PassedFd;
import dev.heddle.agent.internal.os.RawExit;
import dev.heddle.agent.internal.os.Signals;
import dev.heddle.agent.internal.os.SpawnException;
import dev.heddle.agent.internal.os.SpawnSpec;
import dev.heddle.agent.internal.os.Spawned;
import dev.heddle.agent.internal.os.Spawner;
import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The {@code spawn} and {@code awaitReady} requests. */
final class Spawns {
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final java.util.concurrent.Executor VIRTUAL =
      Executors.newVirtualThreadPerTaskExecutor();
  private final Agent agent;

  Spawns(Agent agent) {
    this.agent = agent;
  }

  /** Called once the spawn reply is queued; releases events held for the new process. */
  void announced(Object processId) {
    ManagedProcess p = agent.processes.get(String.valueOf(processId));
    if (p != null) {
      p.announced.complete(null);
      Runnable then = p.afterAnnounced;
      if (then != null) {
        p.afterAnnounced = null;
        then.run();
      }
    }
  }

  /**
   * The log directory of a process this agent started that has exited and was retired from the
   * table ({@link Agent#KEEP_EXITED}), or null when processId names no such process.
   */
  @Nullable Path retiredLogDir(String processId) {
    int hash = processId.lastIndexOf('#');
    if (hash <= 0 || agent.processes.containsKey(processId)) {
      return null;
    }
    String service = processId.substring(0, hash);
    AtomicInteger last = agent.incarnations.get(service);
    int incarnation;
    try {
      incarnation = Integer.parseInt(processId.substring(hash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (last == null || incarnation < 1 || incarnation > last.get()) {
      return null;
    }
    return agent.options.logs().resolve(service).resolve(Integer.toString(incarnation));
  }

  ManagedProcess find(String processId) throws AgentError {
    ManagedProcess p = agent.processes.get(processId);
    if (p == null) {
      throw new AgentError(
          "NOT_FOUND",
          "no process '" + processId + "' on host '" + agent.options.hostLabel() + "'");
    }
    return p;
  }

  Map<String, Object> spawn(Body body) throws ProtocolException, AgentError {
    String service = body.string("service");
    if (!SERVICE_NAME.matcher(service).matches()) {
      throw new ProtocolException(
          ProtocolException.Code.BAD_REQUEST,
          "service name '"
              + service
              + "' is not allowed: use 1 to 64 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    String executable = body.string("executable");
    List<String> args = body.strings("args");
    Map<String, String> env = new HashMap<>();
    if (body.flag("inheritEnv", true)) {
      env.putAll(System.getenv());
    }
    env.putAll(body.stringMap("env"));
    Path cwd = body.optString("cwd") == null ? null : Path.of(body.string("cwd"));
    int stopSignal =
        Signals.parse(body.optString("stopSignal") == null ? "TERM" : body.string("stopSignal"));
    Duration grace = Duration.ofMillis(body.optNumber("stopGraceMs", 5_000));
    long logMax = body.optNumber("logMaxBytes", 16L << 20);
    int logKeep = (int) Math.max(1, Math.min(body.optNumber("logKeep", 3), 9));

    List<String> socketIds = body.strings("sockets");
    List<PassedFd> fds = new ArrayList<>();
    for (String id : socketIds) {
      ListeningSocket s = agent.sockets.get(id);
      if (s == null || !Fds.isOpen(s.fd())) {
        throw fail(
            service,
            "CLOSED_SOCKET",
            "the listening socket '"
                + id
                + "' it should inherit is not open on this host (closed, or never created). Create"
                + " it again with listen and pass the new one.");
      }
      fds.add(new PassedFd(s.fd(), s.name()));
    }
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    Spares.Key key = new Spares.Key(executable, args, Map.copyOf(env), cwd, socketIds);
    Spares.Prepared spare = agent.spares.take(service, key);
    ManagedProcess p;
    if (spare != null) {
      p =
          new ManagedProcess(
              service,
              spare.incarnation,
              spare.spare.spawned(),
              spare.cgroup,
              spare.logDir,
              command,
              stopSignal,
              grace,
              logMax,
              logKeep);
      agent.processes.put(p.processId, p);
      watch(p, spare.exit);
    } else {
      p =
          spawnNow(
              service,
              executable,
              args,
              env,
              cwd,
              fds,
              command,
              stopSignal,
              grace,
              logMax,
              logKeep);
    }
    if (body.flag("spare", false)) { // once the reply is out: it competes for the CPU
      long ticket = agent.spares.ticket(service); // a dropSpare from now on voids it
      p.afterAnnounced = () -> agent.spares.prepare(service, key, fds, env, ticket);
    }
    agent.saveState();
    Map<String, Object> reply = p.describe();
    reply.put("fromSpare", spare != null);
    return reply;
  }

  private ManagedProcess spawnNow(
      String service,
      String executable,
      List<String> args,
      Map<String, String> env,
      @Nullable Path cwd,
      List<PassedFd> fds,
      List<String> command,
      int stopSignal,
      Duration grace,
      long logMax,
      int logKeep)
      throws AgentError {
    int incarnation =
        agent.incarnations.computeIfAbsent(service, k -> new AtomicInteger()).incrementAndGet();
    Path logDir = agent.options.logs().resolve(service).resolve(Integer.toString(incarnation));
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw fail(
          service,
          "LOG_NOT_WRITABLE",
          "its log directory "
              + logDir
              + " cannot be created ("
              + e
              + "). Make the agent's state directory writable, or start the agent with another"
              + " --state-dir.");
    }
    Path cgroup = null;
    if (agent.cgroups != null) {
      try {
        cgroup = agent.cgroups.create(service + "-" + incarnation);
      } catch (IOException e) {
        AgentLog.warn("no cgroup for " + service + "; using its process group", e);
      }
    }
    Spawned spawned;
    agent.reapLock.readLock().lock();
    try {
      spawned =
          Spawner.spawn(
              new SpawnSpec(
                  executable,
                  args,
                  env,
                  cwd,
                  fds,
                  logDir.resolve("stdout.log"),
                  logDir.resolve("stderr.log"),
                  cgroup));
    } catch (SpawnException e) {
      agent.reapLock.readLock().unlock();
      if (cgroup != null && agent.cgroups != null) {
        agent.cgroups.remove(cgroup);
      }
      throw fail(service, e.kind().name(), e.getMessage() + advice(e.kind()));
    }
    ManagedProcess p =
        new ManagedProcess(
            service,
            incarnation,
            spawned,
            cgroup,
            logDir,
            command,
            stopSignal,
            grace,
            logMax,
            logKeep);
    agent.processes.put(p.processId, p);
    try {
      watch(p, agent.reactor.watch(spawned.pid(), spawned.pidfd()));
    } finally {
      agent.reapLock.readLock().unlock();
    }
    return p;
  }

  /**
   * Watches a process handed over by the previous program of this agent's pid (an upgrade in
   * place): its spawn was announced long ago.
   */
  void adoptHandedOver(ManagedProcess p) {
    p.announced.complete(null);
    agent.processes.put(p.processId, p);
    watch(p, agent.reactor.watch(p.pid(), p.spawned.pidfd()));
  }

  /** Reports p's exit once the spawn reply is out, then cleans up after it. */
  private void watch(ManagedProcess p, CompletableFuture<RawExit> exit) {
    var _ =
        exit.whenComplete(
            (status, error) -> {
              // On the reactor thread: only non-blocking work here. The event is queued at
              // once (the latency users see); cleanup runs on a virtual thread.
              if (status == null) {
                if (!(error instanceof java.util.concurrent.CancellationException)) {
                  AgentLog.warn("cannot watch " + p.processId + " (pid " + p.pid() + ")", error);
                }
                p.exit.completeExceptionally(error);
                return;
              }
              p.exit.complete(status);
              if (p.announced.isDone()) {
                agent.reportExit(p, status);
                VIRTUAL.execute(() -> agent.cleanUpAfterExit(p));
              } else {
                VIRTUAL.execute(
                    () -> {
                      p.announced.join(); // the controller hears of the spawn first
                      agent.reportExit(p, status);
                      agent.cleanUpAfterExit(p);
                    });
              }
            });
  }

  Map<String, Object> awaitReady(Body body)
      throws ProtocolException, AgentError, InterruptedException {
    ManagedProcess p = find(body.string("processId"));
    Probes.Probe probe = Probes.parse(body);
    Duration timeout = Duration.ofMillis(body.optNumber("timeoutMs", 10_000));
    long interval = Math.max(1, body.optNumber("intervalMs", probe.intervalMs()));
    long start = System.nanoTime();
    while (true) {
      if (probe.ready(p)) {
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        agent.event("ready", Map.of("processId", p.processId, "waitedMs", waited.toMillis()));
        return Map.of("processId", p.processId, "waitedMs", waited.toMillis());
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (p.exit.isDone()) {
        RawExit status = p.exit.getNow(null);
        throw new AgentError(
            "EXITED_BEFORE_READY",
            "Service '"
                + p.service
                + "' on host '"
                + agent.options.hostLabel()
                + "' "
                + describe(status)
                + " before it became ready. Expected: "
                + probe.describe()
                + " within "
                + timeout
                + "; waited "
                + waited
                + ".");
      }
      if (waited.compareTo(timeout) >= 0) {
        throw new AgentError(
            "READY_TIMEOUT",
            "Service '"
                + p.service
                + "' on host '"
                + agent.options.hostLabel()
                + "' did not become ready. Expected: "
                + probe.describe()
                + " within "
                + timeout
                + "; waited "
                + waited
                + ".");
      }
      Thread.sleep(interval);
    }
  }

  private static String describe(@Nullable RawExit status) {
    return switch (status) {
      case null -> "exited";
      case RawExit.Exited e -> "exited with code " + e.code();
      case RawExit.Signaled s -> "was killed by " + Signals.name(s.signal());
    };
  }

  private AgentError fail(String service, String code, String why) {
    return new AgentError(
        code,
        "Cannot start service '"
            + service
            + "' on host '"
            + agent.options.hostLabel()
            + "': "
            + why);
  }

  private static String advice(SpawnException.Kind kind) {
    return switch (kind) {
      case EMPTY_COMMAND -> " Give the service a command to run.";
      case MISSING_EXECUTABLE -> " Install it on this host, or give the full path of the program.";
      case NOT_EXECUTABLE -> " Make it executable (chmod +x), or run it through its interpreter.";
      case CWD_MISSING -> " Create the directory first (host.mkdirs), or fix the path.";
      case BAD_ENV -> " Environment variable names must be non-empty and contain no '=' or NUL.";
      case CLOSED_FD -> " Create the listening socket again and pass the new one.";
      case LOG_NOT_WRITABLE -> " Make the agent's state directory writable.";
      case SPAWN_FAILED -> "";
    };
  }
}
