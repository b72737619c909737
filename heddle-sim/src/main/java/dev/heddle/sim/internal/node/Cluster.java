package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.loop.EventLoop;
import dev.heddle.sim.internal.net.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The server nodes of a run and their processes: starts them, routes what they write into the
 * network (throttling a node that writes faster than the loop can route), and kills, restarts,
 * pauses and resumes them for the nemesis. Process starts and signals run on virtual threads so the
 * loop thread never waits for the OS. Lifecycle methods other than {@link #startAll} and {@link
 * #stopAll} are for the loop thread.
 */
public final class Cluster {
  private static final int BACKLOG_LIMIT = 20_000;
  private final EventLoop loop;
  private final Network network;
  private final Problems problems;
  private final List<String> command;
  private final Path logDir;
  private final @Nullable PrintStream stderrConsole;
  private final Map<String, NodeEndpoint> nodes = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> signalChains = new LinkedHashMap<>();
  private volatile boolean stopping;
  private Consumer<String> exitListener = id -> {};

  /** Creates the nodes (not yet started) and registers them with the network. */
  public Cluster(
      EventLoop loop,
      Network network,
      Problems problems,
      List<String> command,
      List<String> ids,
      Path logDir,
      @Nullable PrintStream stderrConsole) {
    this.loop = loop;
    this.network = network;
    this.problems = problems;
    this.command = command;
    this.logDir = logDir;
    this.stderrConsole = stderrConsole;
    for (String id : ids) {
      NodeEndpoint e = new NodeEndpoint(id);
      nodes.put(id, e);
      signalChains.put(id, CompletableFuture.completedFuture(null));
    }
    loop.call(
            () -> {
              nodes.values().forEach(network::register);
              return null;
            })
        .join();
  }

  /** Starts every node's first process. Blocks; throws if a program cannot be started. */
  public void startAll() throws IOException {
    for (NodeEndpoint e : nodes.values()) {
      e.incarnations = 1;
      NodeProcess p = spawn(e, 1);
      loop.call(
              () -> {
                e.process = p;
                e.down = false;
                return null;
              })
          .join();
    }
  }

  private NodeProcess spawn(NodeEndpoint e, int incarnation) throws IOException {
    AtomicInteger pending = new AtomicInteger();
    NodeProcess p =
        NodeProcess.start(
            e.id(),
            incarnation,
            command,
            logDir.resolve(e.id() + ".log"),
            stderrConsole,
            batch -> route(e.id(), pending, batch),
            problems);
    CompletableFuture<Void> _ = p.onExit().thenAccept(code -> loop.post(() -> exited(e, p, code)));
    return p;
  }

  private void route(String node, AtomicInteger pending, List<Wire.Valid> batch) {
    int backlog = pending.addAndGet(batch.size());
    loop.post(
        () -> {
          for (Wire.Valid v : batch) {
            network.send(v.src(), v.dest(), v.body(), v.raw());
          }
          pending.addAndGet(-batch.size());
        });
    if (backlog > BACKLOG_LIMIT) {
      long start = System.nanoTime();
      while (pending.get() > BACKLOG_LIMIT / 2 && !stopping) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      long waited = (System.nanoTime() - start) / 1_000_000;
      if (waited > 100) {
        problems.record(
            node,
            Problems.Kind.STDOUT_FLOOD,
            "reading its stdout paused for "
                + waited
                + " ms with "
                + backlog
                + " messages waiting to be routed");
      }
    }
  }

  /** Sets what runs (on the loop thread) when a node exits on its own. */
  public void onUnexpectedExit(Consumer<String> listener) {
    exitListener = listener;
  }

  private void exited(NodeEndpoint e, NodeProcess p, int code) {
    if (e.process != p || e.killed || stopping) {
      return;
    }
    e.down = true;
    long at = loop.now();
    // give the stderr thread a moment to read the last lines the node wrote before it died
    loop.after(
        200_000_000L,
        () -> {
          String tail = String.join("\n    ", p.stderrTail());
          problems.record(
              e.id(),
              Problems.Kind.EXITED,
              "exited with code "
                  + code
                  + " at "
                  + String.format("%.1f", at / 1e9)
                  + " s"
                  + (tail.isEmpty() ? "" : "; last stderr lines:\n    " + tail));
          exitListener.accept(e.id());
        });
  }

  /** Kills a node with SIGKILL; it takes no messages until restarted. Loop thread. */
  public void kill(String id) {
    NodeEndpoint e = node(id);
    if (e.process == null || e.down) {
      return;
    }
    e.killed = true;
    e.down = true;
    e.process.kill();
  }

  /**
   * Restarts a killed node with a fresh process; {@code onStarted} runs on the loop thread once it
   * takes messages (the caller then sends init). Loop thread.
   */
  public void restart(String id, Consumer<String> onStarted) {
    NodeEndpoint e = node(id);
    if (!e.killed) {
      return;
    }
    int incarnation = ++e.incarnations;
    Thread.ofVirtual()
        .name("sim/" + id + "#" + incarnation + "/start")
        .start(
            () -> {
              try {
                NodeProcess p = spawn(e, incarnation);
                loop.post(
                    () -> {
                      e.process = p;
                      e.killed = false;
                      e.down = false;
                      onStarted.accept(id);
                    });
              } catch (IOException ex) {
                problems.record(
                    id, Problems.Kind.EXITED, "could not be restarted: " + ex.getMessage());
              }
            });
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) a node's process, in order per node. Loop thread. */
  public void pause(String id, boolean pause) {
    NodeEndpoint e = node(id);
    NodeProcess p = e.process;
    if (p == null || e.paused == pause) {
      return;
    }
    e.paused = pause;
    signalChains.computeIfPresent(
        id,
        (k, chain) ->
            chain.thenRunAsync(
                () -> {
                  try {
                    p.signal(pause);
                  } catch (IOException ex) {
                    problems.record(
                        id,
                        Problems.Kind.EXITED,
                        "could not be " + (pause ? "paused" : "resumed") + ": " + ex.getMessage());
                  } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                  }
                },
                r -> Thread.ofVirtual().name("sim/" + id + "/signal").start(r)));
  }

  private NodeEndpoint node(String id) {
    NodeEndpoint e = nodes.get(id);
    if (e == null) {
      throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
    }
    return e;
  }

  /** Returns the node ids. */
  public List<String> ids() {
    return new ArrayList<>(nodes.keySet());
  }

  /** Returns whether a node is down right now. Loop thread. */
  public boolean down(String id) {
    return node(id).down;
  }

  /** Stops every process and waits for their threads. Blocks. */
  public void stopAll() throws InterruptedException {
    stopping = true;
    for (CompletableFuture<Void> chain : signalChains.values()) {
      try {
        chain.get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
        // a signal that did not finish does not keep the process alive: it is killed below
      }
    }
    // read directly: the loop may have stopped, and every write to these fields happened before
    // a loop future the caller has joined since
    List<NodeProcess> all = new ArrayList<>();
    nodes
        .values()
        .forEach(
            e -> {
              if (e.process != null) {
                all.add(e.process);
              }
            });
    all.forEach(NodeProcess::kill);
    for (NodeProcess p : all) {
      p.stop(Duration.ofSeconds(2));
    }
  }
}
