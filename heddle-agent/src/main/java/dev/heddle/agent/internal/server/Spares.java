package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Fds;
import dev.heddle.agent.internal.os.OsException;
import dev.heddle.agent.internal.os.PassedFd;
import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.os.RawExit;
import dev.heddle.agent.internal.os.Signals;
import dev.heddle.agent.internal.os.Spare;
import dev.heddle.agent.internal.os.SpawnSpec;
import dev.heddle.agent.internal.os.Spawner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Spares: for a service spawned with {@code spare: true}, the agent prepares its next incarnation
 * in the background (log directory, cgroup, heddle-exec spawned with the passed fds and waiting on
 * a pipe), so that the next spawn with the same command, environment, directory and sockets is one
 * write to that pipe instead of a posix_spawn. A spare is invisible to the controller until it is
 * taken; one that is no longer wanted (the command changed, the service was stopped, its socket
 * closed, the agent shuts down) is dropped: it exits without running anything, and its directory
 * and cgroup are removed.
 *
 * <p>Thread-safety: {@link #ready}, {@link #tickets} and {@link #preparing} are guarded by this
 * object's monitor, held only for map updates (never across a spawn or I/O). A ticket per service
 * orders preparations against takes and drops: a preparation installs its spare only if the
 * service's ticket has not moved since it began, so a spare prepared for a command that was
 * replaced meanwhile never runs.
 */
final class Spares {
  private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();
  private static final int WAITING = 0;
  private static final int TAKEN = 1;
  private static final int DROPPED = 2;

  /** What a spawn must match for a spare to stand in for it. */
  record Key(
      String executable,
      List<String> args,
      Map<String, String> env,
      @Nullable Path cwd,
      List<String> sockets) {}

  /** A spare with what was made for it. */
  static final class Prepared {
    final Key key;
    final Spare spare;
    final int incarnation;
    final Path logDir;
    final @Nullable Path cgroup;
    final CompletableFuture<RawExit> exit;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private boolean pidfdClosed; // guarded by this Prepared

    /** Completes once a dropped spare's exit was cleaned up after. */
    final CompletableFuture<Void> cleaned = new CompletableFuture<>();

    Prepared(
        Key key,
        Spare spare,
        int incarnation,
        Path logDir,
        @Nullable Path cgroup,
        CompletableFuture<RawExit> exit) {
      this.key = key;
      this.spare = spare;
      this.incarnation = incarnation;
      this.logDir = logDir;
      this.cgroup = cgroup;
      this.exit = exit;
    }
  }

  private final Agent agent;
  private final Map<String, Prepared> ready = new HashMap<>();
  private final Map<String, Long> tickets = new HashMap<>();
  private final Map<Long, CompletableFuture<Void>> preparing = new HashMap<>();
  private long nextPreparation;
  private boolean closed;

  Spares(Agent agent) {
    this.agent = agent;
  }

  /**
   * The spare of service if it was prepared for key and can still run: it has been told to go, and
   * its exit is the caller's to watch. Null otherwise; a spare that does not fit is dropped.
   */
  @Nullable Prepared take(String service, Key key) {
    Prepared p;
    synchronized (this) {
      bump(service);
      p = ready.remove(service);
    }
    if (p == null) {
      return null;
    }
    Path cwd = key.cwd();
    if (!p.key.equals(key)
        || !Files.isExecutable(p.spare.program())
        || (cwd != null && !Files.isDirectory(cwd))) {
      drop(p); // a fresh spawn reports what is wrong, as it would without a spare
      return null;
    }
    if (!p.state.compareAndSet(WAITING, TAKEN)) {
      return null; // it exited meanwhile, and is being cleaned up
    }
    if (!p.spare.go()) { // exited before the write: nobody else cleans up after it now
      var _ = p.exit.whenComplete((status, error) -> VIRTUAL.execute(() -> cleanUp(p)));
      return null;
    }
    return p;
  }

  /** Service's ticket now: a preparation asked for with it is void once a take or drop moved it. */
  synchronized long ticket(String service) {
    return tickets.getOrDefault(service, 0L);
  }

  /**
   * Prepares service's next incarnation for key in the background, unless ticket (from {@link
   * #ticket}, taken while the spawn was handled) is stale by then; never blocks.
   */
  void prepare(String service, Key key, List<PassedFd> fds, Map<String, String> env, long ticket) {
    if (!Spawner.sparesSupported()) {
      return;
    }
    synchronized (this) {
      if (closed || tickets.getOrDefault(service, 0L) != ticket) {
        return; // dropped (or spawned again) since: not wanted any more
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    long number;
    synchronized (this) {
      number = nextPreparation++;
      preparing.put(number, done);
    }
    VIRTUAL.execute(
        () -> {
          try {
            prepareNow(service, key, ticket, fds, env);
          } finally {
            synchronized (this) {
              preparing.remove(number);
            }
            done.complete(null);
          }
        });
  }

  private void prepareNow(
      String service, Key key, long ticket, List<PassedFd> fds, Map<String, String> env) {
    int incarnation =
        agent.incarnations.computeIfAbsent(service, k -> new AtomicInteger()).incrementAndGet();
    Path logDir = agent.options.logs().resolve(service).resolve(Integer.toString(incarnation));
    Path cgroup = null;
    Spare spare;
    CompletableFuture<RawExit> exit;
    try {
      Files.createDirectories(logDir);
      if (agent.cgroups != null) {
        cgroup = agent.cgroups.create(service + "-" + incarnation);
      }
      SpawnSpec spec =
          new SpawnSpec(
              key.executable(),
              key.args(),
              env,
              key.cwd(),
              fds,
              logDir.resolve("stdout.log"),
              logDir.resolve("stderr.log"),
              cgroup);
      agent.reapLock.readLock().lock();
      try {
        spare = Spawner.spawnSpare(spec);
        exit = agent.reactor.watch(spare.spawned().pid(), spare.spawned().pidfd());
      } finally {
        agent.reapLock.readLock().unlock();
      }
    } catch (IOException | RuntimeException e) {
      // no spare: the next spawn takes the usual path, and reports any problem itself
      AgentLog.info("no spare for " + service + ": " + e.getMessage());
      if (cgroup != null && agent.cgroups != null) {
        agent.cgroups.remove(cgroup);
      }
      deleteTree(logDir);
      return;
    }
    Prepared p = new Prepared(key, spare, incarnation, logDir, cgroup, exit);
    var _ =
        exit.whenComplete(
            (status, error) -> {
              // On the reactor thread. A taken spare's exit is the service's (Spawns watches it).
              if (p.state.compareAndSet(WAITING, DROPPED) || p.state.get() == DROPPED) {
                VIRTUAL.execute(() -> cleanUp(p));
              }
            });
    Prepared replaced = null;
    boolean install;
    synchronized (this) {
      install = !closed && tickets.getOrDefault(service, 0L) == ticket;
      if (install) {
        replaced = ready.put(service, p);
      }
    }
    if (replaced != null) {
      drop(replaced);
    }
    if (!install) {
      drop(p);
      try {
        p.cleaned.get(2, java.util.concurrent.TimeUnit.SECONDS); // so dropFor sees it gone
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException
          | InterruptedException e) {
        AgentLog.info("a dropped spare of " + service + " did not exit in time: " + e);
      }
    }
  }

  /**
   * Drops service's spare, and any being prepared: it will not be started again. Returns once they
   * have exited (within a few seconds), so nothing of the service is left on the host.
   */
  void dropFor(String service) throws InterruptedException {
    Prepared p;
    List<CompletableFuture<?>> waits = new ArrayList<>();
    synchronized (this) {
      bump(service);
      p = ready.remove(service);
      waits.addAll(preparing.values());
    }
    if (p != null) {
      drop(p);
      waits.add(p.cleaned);
    }
    try {
      CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      AgentLog.info("the spares of " + service + " did not all exit in time: " + e);
    }
  }

  /** Drops every spare that would inherit socket, and any being prepared. */
  void dropUsing(String socketId) {
    List<Prepared> dropped = new ArrayList<>();
    synchronized (this) {
      for (String service : List.copyOf(tickets.keySet())) {
        bump(service);
      }
      ready.values().removeIf(p -> p.key.sockets().contains(socketId) && dropped.add(p));
    }
    dropped.forEach(Spares::drop);
  }

  /** Drops them all, kills them (they are children: no pid can be reused), refuses new ones. */
  void close() {
    List<Prepared> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(ready.values());
      ready.clear();
    }
    for (Prepared p : all) {
      synchronized (p) { // against cleanUp closing the pidfd
        if (!p.pidfdClosed) {
          try {
            Processes.signal(p.spare.spawned().pidfd(), Signals.KILL);
          } catch (OsException e) {
            // it has exited already
          }
        }
      }
      drop(p);
    }
  }

  private void bump(String service) {
    tickets.merge(service, 1L, Long::sum);
  }

  private static void drop(Prepared p) {
    if (p.state.compareAndSet(WAITING, DROPPED)) {
      p.spare.drop(); // end of file on its pipe: it exits 0, and the exit handler cleans up
    }
  }

  /** After a dropped spare's exit: its pidfd, cgroup and (empty) log directory. */
  private void cleanUp(Prepared p) {
    synchronized (p) {
      Fds.close(p.spare.spawned().pidfd());
      p.pidfdClosed = true;
    }
    if (p.cgroup != null && agent.cgroups != null) {
      agent.cgroups.remove(p.cgroup);
    }
    try {
      Path stderr = p.logDir.resolve("stderr.log");
      if (Files.size(stderr) > 0) { // heddle-exec could not join the cgroup, say
        AgentLog.info("a spare exited with: " + Files.readString(stderr).strip());
      }
    } catch (IOException | RuntimeException e) {
      // nothing to report
    }
    deleteTree(p.logDir);
    p.cleaned.complete(null);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover empty directory is harmless
    }
  }
}
