package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.ServiceHandle;
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
  void anUnsupportedTypeIsNamedWithWhatIsSupported() {
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
    for (String part :
        new String[] {"dev.heddle.ServiceHandle", "dev.heddle.Scope", "dev.heddle.Host", "Path"}) {
      assertTrue(message.contains(part), "no '" + part + "' in: " + message);
    }
  }
}
