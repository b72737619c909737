package dev.heddle.junit.internal;

import dev.heddle.Event;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.opentest4j.AssertionFailedError;

/**
 * What one {@code @HeddleTest} test (or class, with {@code PER_CLASS}) owns: its scope, its local
 * host (an agent of its own, started on first use), its directory; it runs the test's code on a
 * thread it can interrupt when the scope fails, and checks for leaks when it closes. Thread-safe.
 */
public final class Harness {
  /** How long a test's code gets to stop after the interrupt before the test fails anyway. */
  private static final long STOP_GRACE_MS = 2_000;

  private final String name;
  private final Path root;
  private final Scope scope;
  private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
  private final Set<Thread> bodies = ConcurrentHashMap.newKeySet();
  private final List<Started> started = new CopyOnWriteArrayList<>();
  private final Leaks.Baseline baseline;
  private final Activity activity;
  private volatile boolean failureReported;
  private volatile boolean someTestFailed;
  private @Nullable Host host; // guarded by this
  private @Nullable Long agentPid; // guarded by this

  /** A service incarnation the scope started: its pid and start time identify it. */
  record Started(String service, long pid, long startTime) {}

  private final List<String> allowedThreads;

  private Harness(String name, Path root, List<String> allowedThreads) {
    this.name = name;
    this.root = root;
    this.allowedThreads = List.copyOf(allowedThreads);
    this.activity = Activity.begin();
    this.baseline = Leaks.baseline();
    this.scope = Scope.open(name);
    scope.events(this::record);
    scope.onFailure(this::failed);
  }

  /**
   * Opens the harness of the test (or class) {@code name}: a scope named {@code name} and a fresh
   * directory. Never starts an agent (see {@link #host()}).
   */
  public static Harness open(String name) {
    return open(name, List.of());
  }

  /**
   * Like {@link #open(String)}; threads whose names start with one of {@code allowedThreads} are
   * not leaks.
   */
  public static Harness open(String name, List<String> allowedThreads) {
    String shortName = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (shortName.length() > 40) {
      shortName = shortName.substring(0, 40);
    }
    try {
      Path root = Files.createTempDirectory("heddle-" + shortName + "-");
      Files.createDirectories(root.resolve("work"));
      return new Harness(name, root, allowedThreads);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the directory of test " + name + ": " + e, e);
    }
  }

  /** The test's name, {@code Class.method}. */
  public String name() {
    return name;
  }

  /** The scope opened for the test. */
  public Scope scope() {
    return scope;
  }

  /** The test's own directory (its agent's state and logs live next to it). */
  public Path directory() {
    return root.resolve("work");
  }

  /** Where everything of this test lives: the directory, the agent's state and the logs. */
  public Path root() {
    return root;
  }

  /** The test's local host: an agent of its own, started on first use. Blocks while it starts. */
  public synchronized Host host() {
    Host h = host;
    if (h == null) {
      Path state = root.resolve("agent");
      h = Host.local(state);
      host = h;
      agentPid = Leaks.agentFor(state);
    }
    return h;
  }

  private void record(Event event) {
    if (event instanceof Event.Started s) {
      Procs.stat(s.pid())
          .ifPresent(p -> started.add(new Started(s.service(), p.pid(), p.startTime())));
    }
  }

  private void failed(Throwable f) {
    failure.complete(f);
    bodies.forEach(Thread::interrupt);
  }

  /**
   * Runs a test method (or lifecycle method) on a virtual thread named {@code test/<name>}, waiting
   * for it; when the scope fails meanwhile, interrupts that thread (which wakes it from sleeps,
   * waits and socket reads) and fails at once with the scope's failure. A scope that failed earlier
   * fails the invocation without running it.
   */
  public <T extends @Nullable Object> T run(InvocationInterceptor.Invocation<T> invocation)
      throws Throwable {
    Throwable earlier = failure.getNow(null);
    if (earlier != null) {
      invocation.skip();
      throw failedTest(earlier, null);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread body =
        Thread.ofVirtual()
            .name("test/" + name)
            .unstarted(
                () -> {
                  try {
                    result.complete(invocation.proceed());
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                });
    bodies.add(body);
    try {
      body.start();
      if (failure.isDone()) {
        body.interrupt();
      }
      try {
        CompletableFuture.anyOf(result, failure).get();
      } catch (InterruptedException e) { // JUnit's timeout: pass it on to the test's code
        body.interrupt();
        awaitQuietly(result);
        throw e;
      }
      Throwable f = failure.getNow(null);
      if (f != null) {
        awaitQuietly(result);
        Throwable thrown = result.isCompletedExceptionally() ? thrownBy(result) : null;
        throw failedTest(f, result.isDone() ? thrown : null);
      }
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause() == null ? e : e.getCause();
    } finally {
      bodies.remove(body);
    }
  }

  private static void awaitQuietly(CompletableFuture<?> result) {
    try {
      result.get(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the caller looks at the result
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @Nullable Throwable thrownBy(CompletableFuture<?> result) {
    try {
      result.get(0, TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      return null;
    }
  }

  private AssertionFailedError failedTest(Throwable f, @Nullable Throwable thrown) {
    failureReported = true;
    AssertionFailedError e = new AssertionFailedError(Failures.describe(name, f), f);
    if (thrown != null && !Failures.isInterruption(thrown) && !isOrWraps(thrown, f)) {
      e.addSuppressed(thrown);
    }
    return e;
  }

  /**
   * Whether the test's code threw the scope's failure itself ({@code scope.awaitExit()} rethrows it
   * when it gets there before the interrupt), or an exception caused by it: already the message.
   */
  private static boolean isOrWraps(Throwable thrown, Throwable failure) {
    int depth = 0; // a cause chain may loop
    for (Throwable t = thrown; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t.equals(failure)) { // Throwable's equals is identity
        return true;
      }
    }
    return false;
  }

  /** Records that a test using this harness failed, so that its directory is kept. */
  public void testFailed() {
    someTestFailed = true;
  }

  /**
   * Closes the scope, finds leaks, closes the host, and deletes the directory when the test passed
   * and nothing went wrong here (else keeps it and says where). Blocks until everything stopped.
   *
   * @throws AssertionFailedError naming each leak and a scope failure not reported yet
   */
  public void close(boolean testFailed) {
    List<String> problems = new ArrayList<>();
    Throwable scopeError = null;
    try {
      scope.close();
    } catch (RuntimeException | Error e) {
      scopeError = e;
    }
    Throwable f = failure.getNow(null);
    if (f != null && !failureReported) {
      failureReported = true;
      problems.add(Failures.describe(name, f));
    } else if (scopeError != null && f == null) {
      problems.add("closing the scope of test " + name + " failed: " + scopeError);
    }
    Host h;
    Long agent;
    synchronized (this) {
      h = host;
      agent = agentPid;
    }
    List<String> leaks = new ArrayList<>(Leaks.services(name, started));
    if (agent != null) {
      leaks.addAll(Leaks.outsideScope(name, agent));
    }
    Throwable hostError = null;
    if (h != null) {
      try {
        h.close();
      } catch (HeddleException e) {
        hostError = e;
        problems.add("closing the host of test " + name + " failed: " + e.getMessage());
      }
      if (agent != null) {
        leaks.addAll(Leaks.agentGone(name, agent));
      }
    }
    boolean blameAll = !activity.end();
    if (blameAll) {
      leaks.addAll(Leaks.sinceBaseline(name, baseline, agent, allowedThreads));
    }
    if (!leaks.isEmpty()) {
      problems.add(
          "Heddle: test "
              + name
              + " left behind what it started ("
              + leaks.size()
              + "):\n  - "
              + String.join("\n  - ", leaks));
    }
    boolean failed = testFailed || someTestFailed || failureReported;
    if (failed || !problems.isEmpty()) {
      problems.add("Kept the test's directory " + root + " (service logs under agent/logs).");
      System.err.println(
          "[heddle] " + name + ": kept " + root + " (service logs under agent/logs)");
    } else {
      deleteTree(root);
    }
    if (problems.size() > 1 || (!problems.isEmpty() && !failed)) {
      AssertionFailedError e = new AssertionFailedError(String.join("\n", problems), f);
      if (scopeError != null && f == null) {
        e.addSuppressed(scopeError);
      }
      if (hostError != null) {
        e.addSuppressed(hostError);
      }
      throw e;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("[heddle] could not delete " + dir + ": " + e);
    }
  }

  @Override
  public String toString() {
    return "Harness[" + name + "]";
  }
}
