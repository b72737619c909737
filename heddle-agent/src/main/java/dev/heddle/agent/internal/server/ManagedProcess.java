package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.RawExit;
import dev.heddle.agent.internal.os.Signals;
import dev.heddle.agent.internal.os.Spawned;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One incarnation of a service that this agent spawned. {@code exit} completes once the main
 * process has been reaped; the rest of its tree may outlive it until the agent sweeps it.
 */
final class ManagedProcess {
  final String processId;
  final String service;
  final int incarnation;
  final Spawned spawned;
  final @Nullable Path cgroup;
  final Path logDir;
  final Path stdout;
  final Path stderr;
  final List<String> command;
  final int stopSignal;
  final Duration stopGrace;
  final long logMaxBytes;
  final int logKeep;
  final Instant startedAt = Instant.now();
  final CompletableFuture<RawExit> exit = new CompletableFuture<>();

  /** Completes once the spawn reply is queued: events about this process are sent after it. */
  final CompletableFuture<Void> announced = new CompletableFuture<>();

  volatile boolean stopping;

  /** Run once the spawn reply is queued (by the request's thread): preparing its spare. */
  volatile @Nullable Runnable afterAnnounced;

  // Log-size checks, touched by the housekeeping thread only: the bytes seen at the last check,
  // how many rotation rounds to wait between checks (1 while the logs grow, up to 4 while they do
  // not), and the round of the next check.
  long logBytesSeen = -1;
  int logCheckEvery = 1;
  long nextLogCheck;

  ManagedProcess(
      String service,
      int incarnation,
      Spawned spawned,
      @Nullable Path cgroup,
      Path logDir,
      List<String> command,
      int stopSignal,
      Duration stopGrace,
      long logMaxBytes,
      int logKeep) {
    this.processId = service + "#" + incarnation;
    this.service = service;
    this.incarnation = incarnation;
    this.spawned = spawned;
    this.cgroup = cgroup;
    this.logDir = logDir;
    this.stdout = logDir.resolve("stdout.log");
    this.stderr = logDir.resolve("stderr.log");
    this.command = List.copyOf(command);
    this.stopSignal = stopSignal;
    this.stopGrace = stopGrace;
    this.logMaxBytes = logMaxBytes;
    this.logKeep = logKeep;
  }

  int pid() {
    return spawned.pid();
  }

  Path log(String stream) {
    return "stderr".equals(stream) ? stderr : stdout;
  }

  /** The fields of the spawn reply and of the state file. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processId", processId);
    m.put("service", service);
    m.put("incarnation", (long) incarnation);
    m.put("pid", (long) spawned.pid());
    m.put("startTime", spawned.identity().startTime());
    m.put("pidfdInode", spawned.identity().pidfdInode());
    m.put("containment", cgroup != null ? "cgroup" : "process-group");
    if (cgroup != null) {
      m.put("cgroup", cgroup.toString());
    }
    m.put("logDir", logDir.toString());
    m.put("stdout", stdout.toString());
    m.put("stderr", stderr.toString());
    m.put("command", command);
    m.put("stopSignal", Signals.name(stopSignal));
    m.put("stopGraceMs", stopGrace.toMillis());
    m.put("startedAt", startedAt.toString());
    m.put("running", !exit.isDone());
    return m;
  }

  /** The exit status as event fields: {@code code}, or {@code signal} and {@code coreDumped}. */
  static Map<String, Object> describe(RawExit status) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (status) {
      case RawExit.Exited e -> m.put("code", (long) e.code());
      case RawExit.Signaled s -> {
        m.put("signal", (long) s.signal());
        m.put("signalName", Signals.name(s.signal()));
        m.put("coreDumped", s.coreDumped());
      }
    }
    return m;
  }
}
