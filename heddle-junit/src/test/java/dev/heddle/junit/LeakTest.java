package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.ProcessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A test that leaves something running fails, and the message lists each leak and its test. */
class LeakTest {
  static final List<Host> LEAKED_HOSTS = new CopyOnWriteArrayList<>();
  static final CountDownLatch RELEASE = new CountDownLatch(1);
  static final Map<String, Path> DIRS = new ConcurrentHashMap<>();

  @HeddleTest
  @OnlyInKit
  static class LeakySample {
    @Test
    void leavesASecondHostOpen(Path dir) {
      DIRS.put("leavesASecondHostOpen", dir);
      Host second = Host.local(dir.resolve("h2"));
      LEAKED_HOSTS.add(second);
      second.spawn(ProcessSpec.builder("stray", Command.of("sleep", "61")).build());
    }

    @Test
    void leavesAThreadRunning(Path dir) {
      DIRS.put("leavesAThreadRunning", dir);
      Thread.ofPlatform().name("leaky-thread").start(LeakTest::awaitRelease);
    }

    @Test
    void spawnsOutsideTheScope(Host host, Path dir) {
      DIRS.put("spawnsOutsideTheScope", dir);
      host.spawn(ProcessSpec.builder("outsider", Command.of("sleep", "62")).build());
    }
  }

  static void awaitRelease() {
    try {
      RELEASE.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    RELEASE.countDown();
    LEAKED_HOSTS.forEach(Host::close);
    for (Path dir : DIRS.values()) {
      Samples.deleteTree(dir.getParent());
    }
  }

  @Test
  void eachLeakIsListedWithTheTestThatStartedIt() {
    EngineExecutionResults results = Samples.run(LeakySample.class);
    results.testEvents().assertStatistics(s -> s.started(3).failed(3));
    Map<String, List<String>> expected =
        Map.of(
            "leavesASecondHostOpen",
            List.of("LeakySample.leavesASecondHostOpen", "an agent (pid", "sleep 61"),
            "leavesAThreadRunning",
            List.of("LeakySample.leavesAThreadRunning", "thread 'leaky-thread'", "LeakTest"),
            "spawnsOutsideTheScope",
            List.of(
                "LeakySample.spawnsOutsideTheScope",
                "service 'outsider'",
                "sleep 62",
                "closing the host stopped it"));
    for (var finished : results.testEvents().finished().list()) {
      String test =
          ((MethodSource) finished.getTestDescriptor().getSource().orElseThrow()).getMethodName();
      String message =
          String.valueOf(
              finished
                  .getPayload(TestExecutionResult.class)
                  .flatMap(TestExecutionResult::getThrowable)
                  .orElseThrow()
                  .getMessage());
      for (String part : expected.get(test)) {
        assertTrue(message.contains(part), test + ": no '" + part + "' in:\n" + message);
      }
    }
  }
}
