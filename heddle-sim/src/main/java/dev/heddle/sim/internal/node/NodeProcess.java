package dev.heddle.sim.internal.node;

import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Message;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One incarnation of a node program: the OS process with its three pipe threads (stdout reader,
 * stdin writer, stderr log), named {@code sim/<node>#<incarnation>/<stream>}. The owner starts it
 * with {@link #start} and must {@link #stop(Duration)} it; stop kills the process and waits for the
 * threads. {@link #enqueue} never blocks and may be called from any thread.
 */
public final class NodeProcess {
  private final String node;
  private final int incarnation;
  private final Process process;
  private final StdinWriter writer;
  private final StderrLog stderr;
  private final List<Thread> threads;

  private NodeProcess(
      String node,
      int incarnation,
      Process process,
      StdinWriter writer,
      StderrLog stderr,
      List<Thread> threads) {
    this.node = node;
    this.incarnation = incarnation;
    this.process = process;
    this.writer = writer;
    this.stderr = stderr;
    this.threads = threads;
  }

  /**
   * Starts the program and its pipe threads.
   *
   * @param node the node id
   * @param incarnation 1 for the first start, one more for each restart
   * @param command the program and its arguments
   * @param log the node's stderr log file, appended to
   * @param console where stderr lines are echoed, or null for nowhere
   * @param sink receives the valid messages the node writes, in batches, on the reader thread
   * @param problems where bad lines are recorded
   * @throws IOException if the program cannot be started
   */
  public static NodeProcess start(
      String node,
      int incarnation,
      List<String> command,
      Path log,
      @Nullable PrintStream console,
      Consumer<List<Wire.Valid>> sink,
      Problems problems)
      throws IOException {
    FileOutputStream logFile = new FileOutputStream(log.toFile(), true);
    if (incarnation > 1) {
      logFile.write(
          ("=== restarted (incarnation " + incarnation + ") ===\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Process p;
    try {
      p = NodeLauncher.start(command);
    } catch (IOException e) {
      logFile.close();
      throw e;
    }
    String name = "sim/" + node + "#" + incarnation + "/";
    StdinWriter writer = new StdinWriter(node, p.getOutputStream(), problems);
    StderrLog stderr = new StderrLog(node, p.getErrorStream(), logFile, console, problems);
    StdoutReader reader = new StdoutReader(node, p.getInputStream(), sink, problems);
    List<Thread> threads =
        List.of(
            Thread.ofVirtual().name(name + "stdout").start(reader::run),
            Thread.ofVirtual().name(name + "stdin").start(writer::run),
            Thread.ofVirtual().name(name + "stderr").start(stderr::run));
    return new NodeProcess(node, incarnation, p, writer, stderr, threads);
  }

  /** Queues a message for the node's stdin. Never blocks. */
  public void enqueue(Message m) {
    writer.enqueue(m);
  }

  /** Returns a future completed with the exit code when the process ends. */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Sends SIGKILL. Does not wait. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Sends SIGSTOP (pause) or SIGCONT (resume) with the kill command. Blocks briefly. */
  public void signal(boolean pause) throws IOException, InterruptedException {
    NodeLauncher.signal(process.toHandle(), pause);
  }

  /** Kills the process and waits up to {@code grace} for its pipe threads to finish. Blocks. */
  public void stop(Duration grace) throws InterruptedException {
    writer.finish();
    kill();
    process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    for (Thread t : threads) {
      t.join(grace);
    }
  }

  /** Returns whether the process is running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Returns the process id. */
  public long pid() {
    return process.pid();
  }

  /** Returns the node id. */
  public String node() {
    return node;
  }

  /** Returns which start of the node this is, from 1. */
  public int incarnation() {
    return incarnation;
  }

  /** Returns the last lines the node wrote to stderr. */
  public List<String> stderrTail() {
    return stderr.tail();
  }
}
