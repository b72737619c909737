package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Cgroups;
import dev.heddle.agent.internal.os.ExitReactor;
import dev.heddle.agent.internal.os.Fds;
import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.os.RawExit;
import dev.heddle.agent.internal.os.Spawner;
import dev.heddle.agent.internal.protocol.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The agent: parent, subreaper and fd store of every service on its host. It executes what its
 * controller asks and reports what happens; it decides nothing about restarts. In session mode it
 * stops every service and exits when its controller disconnects, however that happens.
 */
public final class Agent implements AutoCloseable {
  static final String VERSION = "0.1.0";
  private static final int ROTATE_EVERY = 4;
  static final int KEEP_EXITED = 100;
  private static final int MAX_LOG_CHECK_EVERY = 4;
  final AgentOptions options;
  final ExitReactor reactor;
  final @Nullable Cgroups cgroups;
  final String containmentNote;
  final Stopper stopper;
  final Spares spares = new Spares(this);
  final Map<String, ListeningSocket> sockets = new ConcurrentHashMap<>();
  final Map<String, ManagedProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Exited processes still in {@link #processes}, oldest first; guarded by that map's lock. */
  private final java.util.ArrayDeque<String> exited = new java.util.ArrayDeque<>();

  final Map<String, AtomicInteger> incarnations = new ConcurrentHashMap<>();
  final AtomicInteger nextSocket = new AtomicInteger();

  /**
   * Spawns hold the read side from posix_spawn until the reactor watches the child; the orphan
   * reaper holds the write side, so it never reaps a child of ours that is not watched yet.
   */
  final java.util.concurrent.locks.ReadWriteLock reapLock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  private final StateFile stateFile;
  private final Object stateLock = new Object();

  /** The control socket; null in {@code --stdio} mode, where the one controller is on stdio. */
  private final @Nullable ServerSocketChannel server;

  private final Requests requests;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile @Nullable Connection controller;

  /** Handover mode: events while no controller is attached, for the next one. */
  private final java.util.ArrayDeque<Frame> missed = new java.util.ArrayDeque<>();

  private long missedDropped; // guarded by missed
  private static final int MAX_MISSED = 10_000;
  private @Nullable Thread stateWriterThread;

  /** Set once an upgrade in place was accepted: no new controller may attach to this program. */
  volatile boolean upgrading;

  /** Set when this agent took over from its previous program ({@code --restore}). */
  private volatile boolean restored;

  private final Instant started = Instant.now();

  private Agent(AgentOptions options, @Nullable ServerSocketChannel server, ExitReactor reactor) {
    this.options = options;
    this.server = server;
    this.reactor = reactor;
    String agentId = "agent-" + Processes.getpid();
    Cgroups.Availability containment =
        options.useCgroups()
            ? Cgroups.detect(agentId)
            : new Cgroups.Availability.Unavailable("turned off with --containment process-group");
    switch (containment) {
      case Cgroups.Availability.Usable u -> {
        this.cgroups = u.cgroups();
        this.containmentNote = "cgroup v2 under " + u.cgroups().base();
      }
      case Cgroups.Availability.Unavailable u -> {
        this.cgroups = null;
        this.containmentNote =
            "process groups (no cgroup: "
                + u.reason()
                + "); a grandchild that calls setsid() escapes the stop sweep";
      }
    }
    this.stopper = new Stopper(cgroups, options.hostLabel());
    this.stateFile = new StateFile(options.stateDir());
    this.requests = new Requests(this);
  }

  /**
   * Binds the control socket (none in stdio mode), makes this process a session leader and child
   * subreaper, and starts the exit reactor; the caller then calls {@link #serveStdio} in stdio
   * mode, and {@link #run}. For the agent's own JVM only.
   */
  public static Agent start(AgentOptions options) throws IOException {
    Files.createDirectories(options.logs());
    Files.deleteIfExists(options.socket()); // the state-dir lock is held: nobody else uses it
    ServerSocketChannel server = null;
    if (!options.stdio()) {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(options.socket()));
    }
    // A session of its own: a Ctrl-C in the controller's terminal never reaches the agent; it
    // stops its services itself when the controller goes away. As subreaper it adopts what its
    // services leave behind (before the first spawn).
    Processes.setsid();
    Processes.becomeChildSubreaper();
    ExitReactor reactor = ExitReactor.start("agent/exit-reactor");
    // Before any spawn: no child may be forked while the helper's file is open for writing.
    String trampoline = Spawner.installExecHelper(options.stateDir().resolve("bin"));
    Agent agent = new Agent(options, server, reactor);
    agent.saveState(); // written by the state writer once run() starts it: off the start-up path
    AgentLog.info(
        (server == null
                ? "serving one controller on stdin/stdout"
                : "listening on " + options.socket())
            + "; containment: "
            + agent.containmentNote
            + "; "
            + trampoline);
    return agent;
  }

  /**
   * Serves the one controller of {@code --stdio} mode over these streams (the agent's stdin and
   * stdout, an SSH exec channel's other end) on a platform thread of its own. When the stream ends
   * or breaks, the agent stops every service and exits {@link #run}, whether or not that controller
   * had said hello: nobody else can ever reach a stdio agent.
   */
  public void serveStdio(InputStream in, OutputStream out) {
    Connection c =
        new Connection(
            in,
            out,
            () -> {
              try (in) {
                out.close();
              }
            },
            requests);
    Thread.ofPlatform()
        .name("agent/stdio/reader")
        .daemon(true)
        .start(
            () -> {
              c.run();
              shutdown("the controller's stream ended (stdin closed)");
            });
  }

  /** Accepts connections (stdio mode: waits for the stdio controller) until shutdown. Blocks. */
  public void run() throws InterruptedException {
    if (server != null) {
      Thread.ofVirtual().name("agent/accept").start(this::acceptLoop);
    }
    Thread.ofVirtual().name("agent/housekeeping").start(this::housekeeping);
    stateWriterThread = Thread.ofVirtual().name("agent/state-writer").start(this::stateWriter);
    if (!finished.await(
            options.attachTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        && controller == null
        && !restored) { // after an upgrade in place the services wait for their controller
      AgentLog.info("no controller attached within " + options.attachTimeout() + "; exiting");
      shutdown("no controller attached");
    }
    finished.await();
  }

  private void acceptLoop() {
    ServerSocketChannel server = java.util.Objects.requireNonNull(this.server);
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        Connection c =
            new Connection(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch, requests);
        // A platform thread: a request reaches its handler with one wake-up fewer than through a
        // virtual reader (no carrier hand-off, no JDK poller).
        Thread.ofPlatform().name("agent/conn" + c.number + "/reader").daemon(true).start(c);
      } catch (IOException e) {
        if (server.isOpen()) {
          AgentLog.warn("accept failed", e);
        }
      }
    }
  }

  /**
   * Reaps orphans adopted as subreaper every half second (one waitid when there are none), and
   * rotates logs every {@value #ROTATE_EVERY} rounds (2 s; quiet logs less often, see {@link
   * #rotateLogs}): with 1,000 services a size check of every log twice a second cost 3 % of a core
   * while idle.
   */
  private void housekeeping() {
    int round = 0;
    while (!shuttingDown.get()) {
      try {
        Thread.sleep(500);
        if (++round % ROTATE_EVERY == 0) {
          rotateLogs(round / ROTATE_EVERY);
        }
        reapLock.writeLock().lock();
        try {
          Processes.reapOrphans(this::isWatched);
        } finally {
          reapLock.writeLock().unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        AgentLog.warn("housekeeping", e);
      }
    }
  }

  /**
   * Rotates the logs past their size limit. A process whose logs grew since the last check is
   * checked again next round (2 s); one whose logs did not is checked every 2, then 4 rounds (8 s),
   * until they grow again: with 1,000 quiet services the size checks (two stats each, their path
   * walks most of the cost) were about a third of the agent's idle CPU.
   */
  private void rotateLogs(long check) throws IOException {
    for (ManagedProcess p : snapshot()) {
      if (p.exit.isDone() || check < p.nextLogCheck) {
        continue;
      }
      long bytes =
          LogFiles.rotateIfLarger(p.stdout, p.logMaxBytes, p.logKeep)
              + LogFiles.rotateIfLarger(p.stderr, p.logMaxBytes, p.logKeep);
      p.logCheckEvery =
          bytes == p.logBytesSeen ? Math.min(p.logCheckEvery * 2, MAX_LOG_CHECK_EVERY) : 1;
      p.logBytesSeen = bytes;
      p.nextLogCheck = check + p.logCheckEvery;
    }
  }

  private boolean isWatched(int pid) {
    if (reactor.watches(pid)) {
      return true;
    }
    for (ManagedProcess p : snapshot()) {
      if (p.pid() == pid && !p.exit.isDone()) {
        return true;
      }
    }
    return false;
  }

  List<ManagedProcess> snapshot() {
    synchronized (processes) {
      return new ArrayList<>(processes.values());
    }
  }

  /** Claims the controller seat; returns the current holder when it is taken. */
  synchronized @Nullable Connection attach(Connection c) {
    Connection current = controller;
    if (current != null && current != c) {
      return current;
    }
    controller = c;
    return null;
  }

  boolean isController(Connection c) {
    return controller == c;
  }

  void event(String type, Map<String, Object> body) {
    Connection c = controller;
    if (c != null) {
      c.send(Frame.event(type, body));
    } else if (options.keepsEvents() && !"log".equals(type)) {
      synchronized (missed) { // kept for the next controller (exits while none was attached)
        missed.addLast(Frame.event(type, body));
        if (missed.size() > MAX_MISSED) {
          missed.removeFirst();
          missedDropped++;
        }
      }
    }
  }

  /**
   * In handover mode, after a new controller's hello was answered: sends it the events that
   * happened while no controller was attached, oldest first, then a {@code missed} event with their
   * count (and how many older ones were dropped).
   */
  void replayMissed(Connection c) {
    List<Frame> frames;
    long dropped;
    synchronized (missed) {
      frames = new ArrayList<>(missed);
      missed.clear();
      dropped = missedDropped;
      missedDropped = 0;
    }
    frames.forEach(c::send);
    c.send(Frame.event("missed", Map.of("count", (long) frames.size(), "dropped", dropped)));
  }

  /**
   * Takes over what the previous program of this pid handed over ({@code --restore FILE}); call
   * after {@link #start} and before {@link #run}.
   */
  public void restoreFrom(java.nio.file.Path file) {
    restored = true;
    InPlaceUpgrade.restore(this, requests.spawns(), file);
  }

  /**
   * The first half of an upgrade in place, after its reply was queued: detaches the controller
   * (flushing that reply; events go to the missed buffer from now on), drops the spares, stops
   * accepting, takes the reap lock for good (no spawn, no orphan reaping), and stops the exit
   * reactor and the state writer. What remains is to write the hand-over file and exec.
   */
  void quiesceForUpgrade() {
    stopAccepting();
    Connection c;
    synchronized (this) {
      c = controller;
      controller = null;
    }
    if (c != null) {
      c.drainAndClose();
    }
    spares.close();
    reapLock.writeLock().lock(); // never released: this program ends in execve
    shuttingDown.set(true); // housekeeping ends
    reactor.close();
    Thread writer = stateWriterThread;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Accepted an upgrade: refuses every later hello and closes the control socket (before the reply
   * goes out, so that a controller reconnecting after the reply can only reach the new program).
   */
  void stopAccepting() {
    upgrading = true;
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // not accepting either way
      }
    }
  }

  /** The undelivered events, oldest first, as {@code {type, body}} maps; clears the buffer. */
  List<Object> takeMissedForUpgrade() {
    List<Object> out = new ArrayList<>();
    synchronized (missed) {
      for (Frame f : missed) {
        out.add(Map.of("type", f.type(), "body", f.body()));
      }
      missed.clear();
    }
    return out;
  }

  /** Puts back the events the previous program of this pid could not deliver. */
  void restoreMissed(List<?> events) {
    synchronized (missed) {
      for (Object o : events) {
        if (o instanceof Map<?, ?> m
            && m.get("type") instanceof String type
            && m.get("body") instanceof Map<?, ?> body) {
          Map<String, Object> typed = new LinkedHashMap<>();
          body.forEach((k, v) -> typed.put(String.valueOf(k), v));
          missed.addLast(Frame.event(type, typed));
        }
      }
    }
  }

  /** Queues the {@code exited} event. Never blocks: called on the exit reactor's thread. */
  void reportExit(ManagedProcess p, RawExit status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("processId", p.processId);
    body.put("service", p.service);
    body.put("pid", (long) p.pid());
    body.putAll(ManagedProcess.describe(status));
    body.put("stopping", p.stopping);
    body.put("at", Instant.now().toString());
    event("exited", body);
  }

  /** After an exit: closes the pidfd, kills what the process left behind, saves the state. */
  void cleanUpAfterExit(ManagedProcess p) {
    Fds.close(p.spawned.pidfd());
    if (!p.stopping) {
      int left = stopper.sweepLeftovers(p);
      if (left > 0) {
        event(
            "warning",
            Map.of(
                "processId",
                p.processId,
                "message",
                "Service '"
                    + p.service
                    + "' ("
                    + p.processId
                    + ") exited and left "
                    + left
                    + " process(es) of its tree running on host '"
                    + options.hostLabel()
                    + "'; the agent killed them."));
      }
    }
    retire(p);
    saveState();
  }

  /**
   * Forgets exited processes once their exit was reported, keeping the {@value #KEEP_EXITED} most
   * recent ones so that {@code tail}, {@code list} and {@code awaitReady} still answer for a
   * process that just exited. Without this the table (and every snapshot and state write) grows
   * with every spawn: RSS went from 77 to 91 MiB over 5,000 spawns.
   */
  private void retire(ManagedProcess p) {
    synchronized (processes) {
      exited.addLast(p.processId);
      while (exited.size() > KEEP_EXITED) {
        processes.remove(exited.removeFirst());
      }
    }
  }

  /**
   * Asks for the state file to be rewritten. Never blocks: one virtual thread writes the latest
   * state some {@value #STATE_WRITE_DELAY_MS} ms later (coalescing bursts), so a spawn's reply
   * never waits for an fsync.
   */
  void saveState() {
    stateDirty.release();
  }

  private final java.util.concurrent.Semaphore stateDirty = new java.util.concurrent.Semaphore(0);
  private static final long STATE_WRITE_DELAY_MS = 20;

  private void stateWriter() {
    while (true) {
      try {
        stateDirty.acquire();
        // Let a burst settle (an exit and its restart, a batch of spawns): one write, with its
        // fsync, instead of one per change, and none in the middle of a restart.
        Thread.sleep(STATE_WRITE_DELAY_MS);
        stateDirty.drainPermits();
        writeState();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void writeState() {
    Map<String, Object> state = new LinkedHashMap<>();
    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put("pid", (long) Processes.getpid());
    agent.put("startTime", Processes.startTime(Processes.getpid()).orElse(-1));
    agent.put("version", VERSION);
    agent.put("protocol", (long) Frame.VERSION);
    agent.put("socket", server == null ? "stdio" : options.socket().toString());
    agent.put("mode", options.handover() ? "handover" : "session");
    agent.put("graceMs", options.grace().toMillis());
    agent.put("started", started.toString());
    agent.put("containment", containmentNote);
    state.put("agent", agent);
    state.put("sockets", sockets.values().stream().map(s -> (Object) s.describe()).toList());
    state.put(
        "processes",
        snapshot().stream().filter(p -> !p.exit.isDone()).map(p -> (Object) p.describe()).toList());
    synchronized (stateLock) {
      try {
        stateFile.write(state);
      } catch (IOException e) {
        AgentLog.warn("could not write " + stateFile.path(), e);
      }
    }
  }

  void disconnected(Connection c) {
    if (isController(c) && options.handover()) {
      synchronized (this) {
        controller = null; // the seat is free for the next controller
      }
      AgentLog.info(
          "controller disconnected; handover mode: the services keep running for the next"
              + " controller");
      return;
    }
    if (isController(c) && options.grace().isPositive()) {
      synchronized (this) {
        controller = null; // the seat is free for the same controller, reconnecting
      }
      AgentLog.info(
          "controller disconnected; session mode: the services keep running for "
              + options.grace().toMillis()
              + " ms while it may reconnect");
      Thread.ofVirtual().name("agent/grace").start(() -> endGrace(options.grace()));
      return;
    }
    if (isController(c)) {
      AgentLog.info("controller disconnected; session mode: stopping every service");
      Thread.ofVirtual().name("agent/session-end").start(() -> shutdown("controller disconnected"));
    }
  }

  /** Session mode with a grace period: shuts down unless a controller attached again meanwhile. */
  private void endGrace(Duration grace) {
    try {
      Thread.sleep(grace);
    } catch (InterruptedException e) {
      return;
    }
    if (controller == null) {
      AgentLog.info(
          "no controller came back within " + grace.toMillis() + " ms; stopping every service");
      shutdown("the controller did not reconnect within the grace period");
    }
  }

  /** Stops every service in reverse start order, closes sockets and exits {@link #run}. */
  public void shutdown(String why) {
    if (!shuttingDown.compareAndSet(false, true)) {
      return;
    }
    AgentLog.info("shutting down: " + why);
    spares.close();
    List<ManagedProcess> all = snapshot();
    Collections.reverse(all);
    for (ManagedProcess p : all) {
      if (!p.exit.isDone()) {
        try {
          stopper.stop(p, p.stopSignal, p.stopGrace, w -> AgentLog.info(w));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    for (ListeningSocket s : sockets.values()) {
      Fds.close(s.fd());
    }
    sockets.clear();
    close();
    finished.countDown();
  }

  Duration uptime() {
    return Duration.between(started, Instant.now());
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    Connection c = controller;
    if (c != null) {
      c.drainAndClose();
    }
    reactor.close();
    Thread writer = stateWriterThread;
    if (writer != null) {
      writer.interrupt();
      try {
        // so that a write in progress cannot put state.json back after it is deleted below
        writer.join(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (cgroups != null) {
      cgroups.removeBase();
    }
    stateFile.delete();
    try {
      Files.deleteIfExists(options.socket());
    } catch (IOException e) {
      // best effort
    }
  }
}
