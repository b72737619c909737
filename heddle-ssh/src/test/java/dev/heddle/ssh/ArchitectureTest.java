package dev.heddle.ssh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

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
          .resideInAnyPackage("org.apache.sshd..")
          .because("MINA SSHD is the transport only: put the code in dev.heddle.ssh.internal")
          .allowEmptyShould(true);

  /**
   * The front door ({@code SshHosts.connect}) calls into the internal package, as {@code
   * Host.local()} does in heddle-core; internal types never appear in a public signature.
   */
  @ArchTest
  static final ArchRule publicSignaturesHideInternals =
      methods()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage("dev.heddle.ssh")
          .and()
          .arePublic()
          .should()
          .haveRawReturnType(
              DescribedPredicate.describe(
                  "a type outside dev.heddle.ssh.internal",
                  (JavaClass c) -> !c.getPackageName().startsWith("dev.heddle.ssh.internal")))
          .andShould(
              new ArchCondition<JavaMethod>("take no dev.heddle.ssh.internal type") {
                @Override
                public void check(JavaMethod m, ConditionEvents events) {
                  for (JavaClass p : m.getRawParameterTypes()) {
                    if (p.getPackageName().startsWith("dev.heddle.ssh.internal")) {
                      events.add(SimpleConditionEvent.violated(m, m.getFullName() + " takes " + p));
                    }
                  }
                }
              })
          .because("internal types may change at any time: expose a public type instead")
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
