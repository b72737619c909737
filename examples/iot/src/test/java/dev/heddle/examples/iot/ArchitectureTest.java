package dev.heddle.examples.iot;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;

/**
 * Architecture rules for the iot example, main code only: heddle-core's rules (c) and (d) (see
 * scripts/README.md), heddle-core's public API only, and two of its own: the services are ordinary
 * programs that only the controller package knows about, and the packages form no cycle.
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

  /** Like any user's program, the example uses heddle-core's public API only. */
  @ArchTest
  static final ArchRule onlyCorePublicApi =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.examples.iot..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.heddle.internal..", "dev.heddle.agent..")
          .because("if the example needs more than heddle-core's public API, add that to the API");

  /** heddle-core's rule (c): every process is spawned by the agent. */
  @ArchTest
  static final ArchRule processesOnlyThroughTheAgent =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.examples.iot..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(
              target(name("exec"))
                  .and(target(owner(JavaClass.Predicates.assignableTo(Runtime.class)))))
          .because(
              "start services with scope.supervise (or host.spawn): the agent is their parent");

  /** heddle-core's rule (d): every package says {@code @NullMarked}. */
  @ArchTest
  static final ArchRule everyPackageIsNullMarked =
      classes()
          .that()
          .resideInAPackage("dev.heddle.examples.iot..")
          .should(
              new ArchCondition<JavaClass>("be in a package annotated @NullMarked") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                  if (!c.getPackage().isAnnotatedWith(NullMarked.class)) {
                    events.add(
                        SimpleConditionEvent.violated(
                            c, "package " + c.getPackageName() + " has no @NullMarked"));
                  }
                }
              })
          .because("add package-info.java with `@NullMarked package ...;`");
}
