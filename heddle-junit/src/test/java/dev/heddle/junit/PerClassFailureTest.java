package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;

/** With {@code PER_CLASS}, a failed scope fails the running test and every later one. */
class PerClassFailureTest {
  static final List<String> RAN = new CopyOnWriteArrayList<>();
  static final List<Path> DIRS = new CopyOnWriteArrayList<>();

  @HeddleTest(scope = HeddleTest.Lifecycle.PER_CLASS)
  @OnlyInKit
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class SharedScopeSample {
    @BeforeAll
    static void startDier(Scope scope, Host host, Path dir) throws InterruptedException {
      DIRS.add(dir);
      scope.supervise(
          Service.named("dier")
              .on(host)
              .command(Command.shell("sleep 0.3; echo boom >&2; exit 3")));
    }

    @Test
    @Order(1)
    void waits() throws InterruptedException {
      RAN.add("waits");
      Thread.sleep(30_000);
    }

    @Test
    @Order(2)
    void comesLater() {
      RAN.add("comesLater");
    }
  }

  @Test
  void theRunningTestAndEveryLaterOneFail() throws Exception {
    var results = Samples.run(SharedScopeSample.class);
    results.testEvents().assertStatistics(s -> s.started(2).failed(2));
    assertTrue(RAN.equals(List.of("waits")), "ran: " + RAN);
    for (var finished : results.testEvents().finished().list()) {
      String message =
          String.valueOf(
              finished
                  .getPayload(TestExecutionResult.class)
                  .flatMap(TestExecutionResult::getThrowable)
                  .orElseThrow()
                  .getMessage());
      assertTrue(message.contains("service 'dier'") && message.contains("boom"), message);
    }
    Path root = DIRS.getFirst().getParent();
    assertTrue(Files.isDirectory(root), "kept " + root);
    Samples.deleteTree(root);
  }
}
