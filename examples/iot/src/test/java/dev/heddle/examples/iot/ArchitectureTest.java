package dev.heddle.examples.iot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Architecture rules for the iot example, main code only: the services are ordinary programs that
 * only the controller package knows about, and the service packages form no cycle. (The project's
 * general rules — no ProcessBuilder, @NullMarked packages, no internal types in public signatures —
 * are heddle-core's and the orders example's ArchitectureTest; this module's code obeys them too.)
 */
@AnalyzeClasses(
    packages = "dev.heddle.examples.iot",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The services are ordinary programs: Heddle starts them, they do not know it. */
  @ArchTest
  static final ArchRule servicesDoNotUseHeddle =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.heddle.examples.iot.wire..",
              "dev.heddle.examples.iot.api..",
              "dev.heddle.examples.iot.auth..",
              "dev.heddle.examples.iot.bridge..",
              "dev.heddle.examples.iot.device..",
              "dev.heddle.examples.iot.stats..",
              "dev.heddle.examples.iot.client..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "dev.heddle.examples.iot.wire..",
              "dev.heddle.examples.iot.api..",
              "dev.heddle.examples.iot.auth..",
              "dev.heddle.examples.iot.bridge..",
              "dev.heddle.examples.iot.device..",
              "dev.heddle.examples.iot.stats..",
              "dev.heddle.examples.iot.client..",
              "java..",
              "javax..",
              "com.fasterxml.jackson..",
              "org.eclipse.paho..",
              "org.jspecify..")
          .because(
              "the services run in their own JVMs with only this module's classes, Jackson and Paho"
                  + " on the classpath (JavaCommand); controller code belongs in"
                  + " dev.heddle.examples.iot");

  /** No cycles between the example's packages. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices()
          .matching("dev.heddle.examples.iot.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a cycle means two packages can only be understood and changed together");
}
