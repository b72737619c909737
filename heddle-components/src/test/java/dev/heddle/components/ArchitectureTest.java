package dev.heddle.components;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
 * heddle-components' rules: components are written against heddle-core's public API only, as any
 * user's start functions are, reach their servers' client libraries through standard APIs, and
 * share two of heddle-core's rules (scripts/README.md: (c) and (d)).
 */
@AnalyzeClasses(
    packages = "dev.heddle.components",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyCorePublicApi =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.components..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.heddle.internal..", "dev.heddle.agent..")
          .because(
              "a component is a start function like a user's: if it needs more than heddle-core's"
                  + " public API, add that to the API");

  @ArchTest
  static final ArchRule jdbcThroughJavaSql =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.components..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.postgresql..")
          .because("the PostgreSQL driver is a runtime detail: use java.sql (DriverManager)");

  /** heddle-core's rule (c): every process, the checks' ones too, is spawned by the agent. */
  @ArchTest
  static final ArchRule processesOnlyThroughTheAgent =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.components..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(
              target(name("exec"))
                  .and(target(owner(JavaClass.Predicates.assignableTo(Runtime.class)))))
          .because(
              "a component's processes run on its host, maybe a remote one: spawn them with"
                  + " host.spawn or scope.supervise");

  /** heddle-core's rule (d): every package says {@code @NullMarked}. */
  @ArchTest
  static final ArchRule everyPackageIsNullMarked =
      classes()
          .that()
          .resideInAPackage("dev.heddle.components..")
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
