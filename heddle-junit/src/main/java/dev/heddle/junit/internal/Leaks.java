package dev.heddle.junit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Finds what a test left alive: service processes, agents, threads. Each finding is one line. */
final class Leaks {
  private Leaks() {}

  private static final String AGENT_MAIN = "dev.heddle.agent.AgentMain";
  private static final Duration SETTLE = Duration.ofSeconds(5);

  /**
   * The agent of the JVM-wide {@code Host.local()} (state directory {@code …/local-<jvm pid>}): it
   * lives as long as the JVM by design, so a test that first used it has not leaked it.
   */
  private static final Pattern SHARED =
      Pattern.compile("--state-dir \\S*/local-" + ProcessHandle.current().pid() + "( |$)");

  /** What was alive before a test: the JVM's agents and threads. */
  record Baseline(Set<Long> agents, Set<Long> threads) {}

  static Baseline baseline() {
    return new Baseline(agents().keySet(), Set.copyOf(Threads.snapshot().keySet()));
  }

  /** This JVM's agent processes (pid → command line). */
  private static Map<Long, String> agents() {
    Map<Long, String> out = new HashMap<>();
    for (Procs.Proc p : Procs.descendants(ProcessHandle.current().pid())) {
      String cmd = Procs.fullCmdline(p.pid());
      // the AOT cache's training run (AotCacheLauncher) is the JVM's, not a test's: it starts an
      // agent that stops at once, in the background, once per JDK and jar
      if (cmd.contains(AGENT_MAIN)
          && !cmd.contains("heddle-aot-training")
          && !cmd.contains("-Dheddle.agent.training=true")) {
        out.put(p.pid(), cmd);
      }
    }
    return out;
  }

  /** The pid of the agent this JVM started for {@code stateDir}, if it runs. */
  static @Nullable Long agentFor(java.nio.file.Path stateDir) {
    String marker = "--state-dir " + stateDir.toAbsolutePath() + " ";
    for (Map.Entry<Long, String> a : agents().entrySet()) {
      if ((a.getValue() + " ").contains(marker)) {
        return a.getKey();
      }
    }
    return null;
  }

  /** Service incarnations of the scope still alive after it closed. */
  static List<String> services(String test, List<Harness.Started> started) {
    List<String> out = new ArrayList<>();
    for (Harness.Started s : started) {
      if (Procs.alive(s.pid(), s.startTime())) {
        out.add(
            "process "
                + s.pid()
                + " of service '"
                + s.service()
                + "' (started in the scope of "
                + test
                + ") is alive after the scope closed: "
                + Procs.cmdline(s.pid()));
      }
    }
    return out;
  }

  /** Processes of the test's agent still alive once its scope closed: spawned outside the scope. */
  static List<String> outsideScope(String test, long agent) {
    List<String> out = new ArrayList<>();
    for (Procs.Proc p : Procs.descendants(agent)) {
      if (p.ppid() != agent) {
        continue; // a service's own children are named through their service
      }
      out.add(
          "process "
              + p.pid()
              + Procs.service(p.pid()).map(s -> " of service '" + s + "'").orElse("")
              + " was started by "
              + test
              + " on its host outside the scope and never stopped (stop it, or supervise it"
              + " in the scope): "
              + Procs.cmdline(p.pid())
              + "; closing the host stopped it");
    }
    return out;
  }

  /** The test's agent, once its host closed, must have exited. */
  static List<String> agentGone(String test, long agent) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (Procs.stat(agent).isPresent() && System.nanoTime() < deadline) {
      pause();
    }
    if (Procs.stat(agent).isEmpty()) {
      return List.of();
    }
    return List.of(
        "the agent of " + test + " (pid " + agent + ") still runs after its host closed");
  }

  /**
   * Agents and threads that appeared since {@code baseline} and are still alive (after a few
   * seconds for threads that are ending). Only meaningful when no other test ran meanwhile.
   */
  static List<String> sinceBaseline(
      String test, Baseline baseline, @Nullable Long ownAgent, List<String> allowedThreads) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Long, String> a : agents().entrySet()) {
      if (!baseline.agents().contains(a.getKey())
          && !a.getKey().equals(ownAgent)
          && !SHARED.matcher(a.getValue()).find()) {
        out.add(
            "an agent (pid "
                + a.getKey()
                + ") started during "
                + test
                + " still runs: a Host.local(Path) it did not close; close it (try-with-resources)."
                + " Its processes: "
                + Procs.descendants(a.getKey()).stream()
                    .map(p -> p.pid() + " " + Procs.cmdline(p.pid()))
                    .collect(Collectors.joining("; ", "[", "]")));
      }
    }
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Map<Long, Threads.Live> fresh = newThreads(baseline, allowedThreads);
    while (!fresh.isEmpty() && System.nanoTime() < deadline) {
      pause();
      fresh = newThreads(baseline, allowedThreads);
    }
    for (Threads.Live t : fresh.values()) {
      out.add(
          (t.virtual() ? "virtual thread '" : "thread '")
              + t.name()
              + "' started during "
              + test
              + " still runs, at "
              + t.where());
    }
    return out;
  }

  private static Map<Long, Threads.Live> newThreads(
      Baseline baseline, List<String> allowedThreads) {
    Map<Long, Threads.Live> fresh = new HashMap<>(Threads.snapshot());
    fresh.keySet().removeAll(baseline.threads());
    // agent-client/<host>/…: a host left open is reported as its agent, the shared one lives on
    fresh
        .values()
        .removeIf(
            t ->
                jdkOwned(t.name())
                    || t.name().startsWith("test/")
                    || t.name().startsWith("agent-client/")
                    || allowedThreads.stream().anyMatch(t.name()::startsWith));
    fresh.remove(Thread.currentThread().threadId());
    return fresh;
  }

  /** Threads the JDK and JUnit start and keep on their own. */
  private static boolean jdkOwned(String name) {
    return name.startsWith("process reaper")
        || name.equals("Keep-Alive-Timer") // HttpURLConnection's connection cache
        || name.startsWith("HttpClient-") // java.net.http's selector, after close()
        || name.startsWith("VirtualThread-") // unparker, unblocker
        || name.contains("Poller") // Read-Poller, MasterPoller, SubPoller-N: virtual threads' I/O
        || name.startsWith("InnocuousThread")
        || name.startsWith("Cleaner")
        || name.startsWith("ForkJoinPool")
        || name.startsWith("junit-")
        || name.equals("Common-Cleaner")
        || name.equals("Attach Listener")
        || name.startsWith("surefire-")
        || name.startsWith("RMI ")
        || name.startsWith("JMX ");
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking for leaks", e);
    }
  }
}
