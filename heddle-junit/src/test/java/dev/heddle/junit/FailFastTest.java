package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Event;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.Service;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EventType;
import org.opentest4j.AssertionFailedError;

/** A service that dies mid-test fails the test at once, whatever the test is blocked in. */
class FailFastTest {
  /** When each sample's service exited, by test method name (the Exited event's time). */
  static final Map<String, Instant> EXITED = new ConcurrentHashMap<>();

  static final Map<String, Path> DIRS = new ConcurrentHashMap<>();

  static void startDier(Scope scope, Host host, Path dir, String test) throws InterruptedException {
    DIRS.put(test, dir);
    scope.events(
        e -> {
          if (e instanceof Event.Exited x) {
            EXITED.put(test, x.time());
          }
        });
    scope.supervise(
        Service.named("dier")
            .on(host)
            .command(Command.of("sh", "-c", "sleep 0.3; echo boom >&2; exit 3")));
  }

  @HeddleTest
  @OnlyInKit
  static class DyingServiceSample {
    @Test
    void sleeping(Scope scope, Host host, Path dir) throws Exception {
      startDier(scope, host, dir, "sleeping");
      Thread.sleep(30_000);
    }

    @Test
    void awaitingTheScope(Scope scope, Host host, Path dir) throws Exception {
      startDier(scope, host, dir, "awaitingTheScope");
      scope.awaitExit(Duration.ofSeconds(30));
    }

    @Test
    void readingASocket(Scope scope, Host host, Path dir) throws Exception {
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket accepted = server.accept()) {
        startDier(scope, host, dir, "readingASocket");
        client.setSoTimeout(30_000);
        InputStream in = client.getInputStream();
        int unused = in.read();
        throw new AssertionError("read returned " + unused + " from " + accepted);
      }
    }
  }

  @Test
  void aDyingServiceFailsTheTestWithinOneSecondWithItsExitAndStderr() throws Exception {
    EngineExecutionResults results = Samples.run(DyingServiceSample.class);
    results.testEvents().assertStatistics(s -> s.started(3).failed(3).succeeded(0));
    for (var finished : results.testEvents().finished().list()) {
      String test =
          ((MethodSource) finished.getTestDescriptor().getSource().orElseThrow()).getMethodName();
      TestExecutionResult result = finished.getPayload(TestExecutionResult.class).orElseThrow();
      Throwable thrown = result.getThrowable().orElseThrow();
      assertInstanceOf(AssertionFailedError.class, thrown, test);
      String message = String.valueOf(thrown.getMessage());
      assertTrue(message.contains("service 'dier'"), message);
      assertTrue(message.contains("exited with code 3"), message);
      assertTrue(message.contains("boom"), message);
      assertEquals( // e.g. a leak found after the test
          List.of(), List.of(thrown.getSuppressed()), test + " also failed with these");
      Instant exited = EXITED.get(test);
      assertNotNull(exited, "no Exited event recorded for " + test);
      Duration took = Duration.between(exited, finished.getTimestamp());
      System.out.println(test + ": failed " + took.toMillis() + " ms after the service exited");
      assertTrue(
          took.compareTo(Duration.ofSeconds(1)) < 0,
          test + " failed " + took + " after the service exited: " + message);
      Path kept = DIRS.get(test).getParent();
      assertTrue(Files.isDirectory(kept.resolve("agent/logs/dier")), "kept " + kept);
      assertEquals(EventType.FINISHED, finished.getType());
      Samples.deleteTree(kept);
    }
  }
}
