package dev.heddle.internal.agent;

import dev.heddle.ExitStatus;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A process spawned by an agent, as its controller sees it. */
final class AgentProcess implements HostProcess {
  private final AgentHost host;
  private final String processId;
  private final String service;
  private final int incarnation;
  private final int pid;
  private final long startTime;
  private final Path logDir;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  private volatile boolean adopted;
  private final Map<Long, Consumer<String>> follows = new ConcurrentHashMap<>();
  // Lines the agent sent for a follow whose reply (with its id) has not been read yet.
  private final Map<Long, List<String>> early = new java.util.HashMap<>();

  AgentProcess(AgentHost host, Reply spawned) {
    this.host = host;
    this.processId = spawned.string("processId");
    this.service = spawned.string("service");
    this.incarnation = spawned.intNumber("incarnation");
    this.pid = spawned.intNumber("pid");
    this.startTime = spawned.number("startTime");
    this.logDir = Path.of(spawned.string("logDir"));
  }

  static ExitStatus status(Reply body) {
    if (body.has("code")) {
      return new ExitStatus.Exited(body.intNumber("code"));
    }
    return new ExitStatus.Signaled(body.intNumber("signal"), body.flag("coreDumped"));
  }

  void exited(Reply body) {
    exit.complete(status(body));
  }

  void lost(String reason) {
    exit.completeExceptionally(
        new HeddleException(
            host.name(),
            service,
            "CONNECTION_LOST",
            "Lost the agent of host '"
                + host.name()
                + "' while watching "
                + processId
                + ": "
                + reason));
  }

  void logLines(Reply body) {
    long id = body.number("followId");
    List<String> lines = body.strings("lines");
    Consumer<String> sink;
    synchronized (early) {
      sink = follows.get(id);
      if (sink == null) {
        early.computeIfAbsent(id, k -> new java.util.ArrayList<>()).addAll(lines);
        return;
      }
    }
    lines.forEach(sink);
  }

  @Override
  public String processId() {
    return processId;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public int incarnation() {
    return incarnation;
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public long startTime() {
    return startTime;
  }

  @Override
  public Host host() {
    return host;
  }

  @Override
  public Path logDir() {
    return logDir;
  }

  @Override
  public CompletableFuture<ExitStatus> onExit() {
    return exit;
  }

  @Override
  public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Override
  public StopResult stop() {
    return stop(null);
  }

  /** Marks it as taken over from an earlier program (handover). */
  void adopted() {
    adopted = true;
  }

  @Override
  public boolean outlivesScope() {
    return adopted && !host.takeoverCommitted();
  }

  @Override
  public void dropSpare() {
    var _ = host.call(service, "dropSpare", Map.of("service", service));
  }

  @Override
  public StopResult stop(@Nullable Duration grace) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("processId", processId);
    if (grace != null) {
      body.put("graceMs", grace.toMillis());
    }
    Reply r = host.call(service, "stop", body);
    ExitStatus status = r.has("code") || r.has("signal") ? status(r) : null;
    if (status != null) {
      exit.complete(status);
    }
    ExitStatus known = status != null ? status : exit.getNow(new ExitStatus.Exited(-1));
    return new StopResult(known, r.flag("escalated"), Optional.ofNullable(r.optString("warning")));
  }

  @Override
  public void signal(Signal signal) {
    host.call(service, "signal", Map.of("processId", processId, "signal", signal.name()));
  }

  @Override
  public List<String> tail(LogStream stream, int lines) {
    return host.call(
            service,
            "tail",
            Map.of("processId", processId, "stream", stream.wireName(), "lines", (long) lines))
        .strings("lines");
  }

  @Override
  public Following follow(LogStream stream, Consumer<String> sink) {
    long id =
        host.call(service, "follow", Map.of("processId", processId, "stream", stream.wireName()))
            .number("followId");
    List<String> before;
    synchronized (early) {
      follows.put(id, sink);
      before = early.remove(id);
    }
    if (before != null) {
      before.forEach(sink);
    }
    return () -> {
      follows.remove(id);
      if (!host.connection().closed().isDone()) { // a lost agent follows nothing any more
        try {
          host.call(service, "unfollow", Map.of("followId", id));
        } catch (HeddleException e) {
          if (!"CONNECTION_LOST".equals(e.code())) {
            throw e;
          }
        }
      }
    };
  }

  @Override
  public String toString() {
    return processId + "@" + host.name() + " (pid " + pid + ")";
  }
}
