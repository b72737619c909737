package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.ServiceHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.TestExecutionResult;

/** An unsupported parameter type is refused with a message naming it and what is supported. */
class BadParameterTest {

  @HeddleTest
  @OnlyInKit
  static class WantsAHandleSample {
    @Test
    void wantsAHandle(ServiceHandle handle) {
      throw new AssertionError("never runs: " + handle);
    }
  }

  @Test
  void anUnsupportedTypeIsNamedWithWhatIsSupported() throws IOException {
    var results = Samples.run(WantsAHandleSample.class);
    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    Throwable thrown =
        results
            .testEvents()
            .finished()
            .list()
            .getFirst()
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertInstanceOf(ParameterResolutionException.class, thrown);
    String message = String.valueOf(thrown.getMessage());
    try (var kept =
        Files.newDirectoryStream(
            Path.of(System.getProperty("java.io.tmpdir")),
            "heddle-WantsAHandleSample.wantsAHandle-*")) {
      for (Path dir : kept) {
        Samples.deleteTree(dir); // a failed test keeps its directory
      }
    }
    for (String part :
        new String[] {"dev.heddle.ServiceHandle", "dev.heddle.Scope", "dev.heddle.Host", "Path"}) {
      assertTrue(message.contains(part), "no '" + part + "' in: " + message);
    }
  }
}
