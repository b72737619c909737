package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Readiness;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.SocketSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Tests run in parallel get their own scope, host, ports and directories. */
class ParallelTest {
  static final int N = 3;
  static final CyclicBarrier TOGETHER = new CyclicBarrier(N);
  static final List<Integer> PORTS = new CopyOnWriteArrayList<>();
  static final List<Path> DIRS = new CopyOnWriteArrayList<>();
  static final List<String> SCOPES = new CopyOnWriteArrayList<>();

  @HeddleTest
  @OnlyInKit
  @Execution(ExecutionMode.CONCURRENT)
  static class ConcurrentSample {
    static void body(Scope scope, Host host, Path dir, TestInfo info) throws Exception {
      ListeningSocket socket = host.listen(SocketSpec.tcp("127.0.0.1", 0));
      Path mark = dir.resolve("mark");
      String me = info.getTestMethod().orElseThrow().getName();
      scope.supervise(
          Service.named("marker")
              .on(host)
              .command(Command.shell("echo " + me + " > " + mark + "; exec sleep 65"))
              .inherit(socket)
              .readyWhen(Readiness.fileExists(mark, Duration.ofSeconds(30))));
      TOGETHER.await(60, TimeUnit.SECONDS); // all N run at once, or this times out
      PORTS.add(socket.port());
      DIRS.add(dir);
      SCOPES.add(scope.name());
      assertEquals(me + "\n", Files.readString(mark));
    }

    @Test
    void first(Scope scope, Host host, Path dir, TestInfo info) throws Exception {
      body(scope, host, dir, info);
    }

    @Test
    void second(Scope scope, Host host, Path dir, TestInfo info) throws Exception {
      body(scope, host, dir, info);
    }

    @Test
    void third(Scope scope, Host host, Path dir, TestInfo info) throws Exception {
      body(scope, host, dir, info);
    }
  }

  @Test
  void parallelTestsDoNotCollide() {
    var results =
        Samples.run(
            ConcurrentSample.class,
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(N)));
    results.testEvents().assertStatistics(s -> s.started(N).succeeded(N));
    assertEquals(N, Set.copyOf(PORTS).size(), "ports: " + PORTS);
    assertEquals(N, new HashSet<>(DIRS).size(), "dirs: " + DIRS);
    assertEquals(N, Set.copyOf(SCOPES).size(), "scopes: " + SCOPES);
  }
}
