package dev.heddle.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs sample test classes through EngineTestKit, as a user's build would run them. */
final class Samples {
  private Samples() {}

  /** Deletes a directory a failed sample kept. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static EngineExecutionResults run(Class<?> sample) {
    return run(sample, Map.of());
  }

  static EngineExecutionResults run(Class<?> sample, Map<String, String> config) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(sample))
        .configurationParameter("heddle.samples", "true")
        .configurationParameters(config)
        .execute();
  }
}
