package dev.heddle.agent.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Test support: spawns children into a test's directory, watches them with a reactor, and in
 * close() SIGKILLs whatever is still running, reaps it and closes its pidfd, so no test leaks a
 * process.
 */
final class Kids implements AutoCloseable {
  static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  record Kid(Spawned spawned, CompletableFuture<RawExit> exit) {
    int pid() {
      return spawned.pid();
    }

    RawExit await() throws Exception {
      return exit.get(20, TimeUnit.SECONDS);
    }
  }

  private final ExitReactor reactor;
  private final Path dir;
  private final List<Kid> kids = new ArrayList<>();

  Kids(ExitReactor reactor, Path dir) {
    this.reactor = reactor;
    this.dir = dir;
  }

  /** A spec with PATH=/usr/bin:/bin, logs dir/out.log and dir/err.log, no cwd, fds or cgroup. */
  SpawnSpec spec(String executable, String... args) {
    return new SpawnSpec(executable, List.of(args), ENV, null, List.of(), out(), err(), null);
  }

  Path out() {
    return dir.resolve("out.log");
  }

  Path err() {
    return dir.resolve("err.log");
  }

  String readOut() throws IOException {
    return Files.readString(out());
  }

  Kid spawn(SpawnSpec spec) throws SpawnException {
    Spawned spawned = Spawner.spawn(spec);
    Kid kid = new Kid(spawned, reactor.watch(spawned.pid(), spawned.pidfd()));
    kids.add(kid);
    return kid;
  }

  Kid sh(String script) throws SpawnException {
    return spawn(spec("/bin/sh", "-c", script));
  }

  @Override
  public void close() throws OsException {
    for (Kid kid : kids) {
      Processes.signal(kid.spawned().pidfd(), Signals.KILL);
      try {
        kid.exit().exceptionally(t -> null).get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while reaping pid " + kid.pid(), e);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError("pid " + kid.pid() + " was not reaped within 10 s", e);
      } finally {
        Fds.close(kid.spawned().pidfd());
      }
    }
  }

  static SpawnSpec withEnv(SpawnSpec s, Map<String, String> env) {
    return new SpawnSpec(
        s.executable(), s.args(), env, s.cwd(), s.fds(), s.stdout(), s.stderr(), s.cgroupDir());
  }

  static SpawnSpec withCwd(SpawnSpec s, Path cwd) {
    return new SpawnSpec(
        s.executable(), s.args(), s.env(), cwd, s.fds(), s.stdout(), s.stderr(), s.cgroupDir());
  }

  static SpawnSpec withFds(SpawnSpec s, List<PassedFd> fds) {
    return new SpawnSpec(
        s.executable(), s.args(), s.env(), s.cwd(), fds, s.stdout(), s.stderr(), s.cgroupDir());
  }

  static SpawnSpec withLogs(SpawnSpec s, Path stdout, Path stderr) {
    return new SpawnSpec(
        s.executable(), s.args(), s.env(), s.cwd(), s.fds(), stdout, stderr, s.cgroupDir());
  }

  static SpawnSpec withCgroup(SpawnSpec s, Path cgroupDir) {
    return new SpawnSpec(
        s.executable(), s.args(), s.env(), s.cwd(), s.fds(), s.stdout(), s.stderr(), cgroupDir);
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** Polls every 5 ms until condition holds; fails naming what it waited for. */
  static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + limit + " for " + what);
      }
      Thread.sleep(5);
    }
  }

  /**
   * Live (non-zombie) pids whose environment holds HEDDLE_TEST_MARK=mark, with their command lines.
   */
  static Map<Integer, String> marked(String mark) {
    byte[] needle = ("HEDDLE_TEST_MARK=" + mark).getBytes(StandardCharsets.UTF_8);
    Map<Integer, String> found = new LinkedHashMap<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        try {
          int pid = Integer.parseInt(p.getFileName().toString());
          String environ =
              new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          if (environ.contains(new String(needle, StandardCharsets.UTF_8))
              && Processes.alive(pid)) {
            found.put(pid, cmdline(pid));
          }
        } catch (IOException | NumberFormatException e) {
          // gone, or a kernel thread
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return found;
  }

  static String cmdline(int pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ')
          .strip();
    } catch (IOException e) {
      return "";
    }
  }
}
