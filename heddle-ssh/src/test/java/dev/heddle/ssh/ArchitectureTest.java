package dev.heddle.ssh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** heddle-ssh's rules: MINA SSHD and the internal package stay behind the public API. */
@AnalyzeClasses(packages = "dev.heddle.ssh", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule publicApiHidesMina =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.ssh")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.sshd..", "dev.heddle.ssh.internal..")
          .because(
              "MINA SSHD is the transport only and internal types never appear in the public API:"
                  + " put the code in dev.heddle.ssh.internal")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule coreInternalsStayInCore =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle.ssh..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.heddle.agent..")
          .because("heddle-ssh talks to the agent through heddle-core, never by linking it")
          .allowEmptyShould(true);
}
