package dev.heddle.components;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * heddle-components' rules: components are written against heddle-core's public API only, as any
 * user's start functions are, and reach their servers' client libraries through standard APIs.
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
}
