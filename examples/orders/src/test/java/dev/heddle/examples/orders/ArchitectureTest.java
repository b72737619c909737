package dev.heddle.examples.orders;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.all;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.base.HasDescription;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.AbstractClassesTransformer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;

/**
 * Architecture rules for the orders example, main code only: the same rules as heddle-core's
 * ArchitectureTest (keep the three copies in step), applied to {@code dev.heddle.examples}, which
 * heddle-core's test classpath does not hold, plus one of its own: the service processes never use
 * Heddle. Each rule says in its {@code because} clause what to do when it fails.
 *
 * <p>Rules use {@code allowEmptyShould(true)}: a rule that finds nothing to check (no public API
 * class yet, no launcher) passes rather than fails.
 */
@AnalyzeClasses(
    packages = "dev.heddle.examples",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final PackageMatcher INTERNAL = PackageMatcher.of("..internal..");

  /**
   * (a) No package cycles, at two levels: between the areas of dev.heddle (agent, internal, sim,
   * …), and between the packages inside {@code internal}. The public API package and its own
   * implementation are the one allowed pair: the front door ({@code Host.local()}) calls into
   * {@code internal}, and {@code internal} implements the API's interfaces — as in OkHttp.
   */
  @ArchTest
  static final ArchRule areasAreFreeOfCycles =
      slices()
          .matching("dev.heddle.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "a cycle between areas means they can only be understood and changed together;"
                  + " move the shared type to the area both depend on, or invert one dependency"
                  + " with an interface")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule internalPackagesAreFreeOfCycles =
      slices()
          .matching("dev.heddle.(**).internal.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "a package cycle means two packages can only be understood and changed together;"
                  + " move the shared type to the package both depend on, or invert one dependency"
                  + " with an interface")
          .allowEmptyShould(true);

  /** (b) Public signatures of the API packages never mention an internal type. */
  @ArchTest
  static final ArchRule publicApiDoesNotExposeInternalTypes =
      classes()
          .that(arePublicApi())
          .should(notExposeInternalTypes())
          .because(
              "internal packages are not exported and may change at any time; make the exposed"
                  + " type public API, or hide it behind a public interface or record")
          .allowEmptyShould(true);

  /**
   * (c) Services are spawned by the agent (posix_spawn through FFM), never with ProcessBuilder or
   * Runtime.exec. Allowed: classes named {@code *Launcher} (and classes nested in them), and
   * anything under {@code ..internal.tools..}.
   */
  @ArchTest
  static final ArchRule onlyLaunchersSpawnProcessesWithTheJdk =
      noClasses()
          .that()
          .resideInAPackage("dev.heddle..")
          .and(DescribedPredicate.not(areLaunchers()))
          .and()
          .resideOutsideOfPackage("..internal.tools..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(
              target(name("exec"))
                  .and(target(owner(JavaClass.Predicates.assignableTo(Runtime.class)))))
          .because(
              "ProcessBuilder closes every fd >= 3 and pipes stdout/stderr, so services are spawned"
                  + " via the agent; a class that must start a JVM or tool itself is named"
                  + " *Launcher or lives in an ..internal.tools.. package")
          .allowEmptyShould(true);

  /** (d) Every package says {@code @NullMarked} in its package-info.java. */
  @ArchTest
  static final ArchRule everyPackageIsNullMarked =
      all(heddlePackages())
          .should(beNullMarked())
          .because(
              "NullAway checks dev.heddle.. as non-null by default; @NullMarked tells IDEs and"
                  + " users the same: add package-info.java with `@NullMarked package ...;`")
          .allowEmptyShould(true);

  private static boolean isHeddle(String packageName) {
    return packageName.equals("dev.heddle") || packageName.startsWith("dev.heddle.");
  }

  private static DescribedPredicate<JavaClass> arePublicApi() {
    return DescribedPredicate.describe(
        "are public classes in non-internal dev.heddle packages",
        c -> isHeddle(c.getPackageName()) && !isInternal(c) && isAccessibleFromOutside(c));
  }

  private static boolean isInternal(JavaClass c) {
    return INTERNAL.matches(c.getPackageName());
  }

  /** Public top-level class, or public/protected nested class of such a class. */
  private static boolean isAccessibleFromOutside(JavaClass c) {
    Set<JavaModifier> modifiers = c.getModifiers();
    Optional<JavaClass> enclosing = c.getEnclosingClass();
    if (enclosing.isEmpty()) {
      return modifiers.contains(JavaModifier.PUBLIC);
    }
    if (c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
        && isAccessibleFromOutside(enclosing.get());
  }

  private static boolean isExposed(JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
        && !modifiers.contains(JavaModifier.SYNTHETIC)
        && !modifiers.contains(JavaModifier.BRIDGE);
  }

  private static ArchCondition<JavaClass> notExposeInternalTypes() {
    return new ArchCondition<>("not expose types from ..internal.. packages in public signatures") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        c.getSuperclass().ifPresent(t -> report(c, "extends", t, c, events));
        c.getInterfaces().forEach(t -> report(c, "implements", t, c, events));
        c.getTypeParameters().forEach(t -> report(c, "has type parameter", t, c, events));
        for (JavaField f : c.getFields()) {
          if (isExposed(f)) {
            report(f, "has type", f.getType(), c, events);
          }
        }
        for (JavaCodeUnit u : c.getCodeUnits()) {
          if (!isExposed(u)) {
            continue;
          }
          u.getTypeParameters().forEach(t -> report(u, "has type parameter", t, c, events));
          u.getParameterTypes().forEach(t -> report(u, "takes", t, c, events));
          report(u, "returns", u.getReturnType(), c, events);
          u.getThrowsClause().getTypes().forEach(t -> report(u, "throws", t, c, events));
        }
      }
    };
  }

  private static void report(
      HasDescription where, String how, JavaType type, JavaClass owner, ConditionEvents events) {
    for (JavaClass raw : type.getAllInvolvedRawTypes()) {
      JavaClass base = raw.getBaseComponentType();
      if (INTERNAL.matches(base.getPackageName())) {
        events.add(
            SimpleConditionEvent.violated(
                owner,
                String.format(
                    "%s %s <%s>, and %s is internal",
                    where.getDescription(), how, type.getName(), base.getName())));
      }
    }
  }

  private static DescribedPredicate<JavaClass> areLaunchers() {
    return DescribedPredicate.describe(
        "are named *Launcher or nested in such a class", ArchitectureTest::isLauncherOrInside);
  }

  private static boolean isLauncherOrInside(JavaClass c) {
    if (c.getSimpleName().endsWith("Launcher")) {
      return true;
    }
    return c.getEnclosingClass().map(ArchitectureTest::isLauncherOrInside).orElse(false);
  }

  private static AbstractClassesTransformer<JavaPackage> heddlePackages() {
    return new AbstractClassesTransformer<>("packages of dev.heddle..") {
      @Override
      public Iterable<JavaPackage> doTransform(JavaClasses classes) {
        return classes.stream()
            .filter(c -> isHeddle(c.getPackageName()))
            .map(JavaClass::getPackage)
            .collect(Collectors.toSet());
      }
    };
  }

  private static ArchCondition<JavaPackage> beNullMarked() {
    return new ArchCondition<>("be annotated @NullMarked (package-info.java)") {
      @Override
      public void check(JavaPackage pkg, ConditionEvents events) {
        if (!pkg.isAnnotatedWith(NullMarked.class)) {
          Collection<String> classes =
              pkg.getClasses().stream()
                  .map(JavaClass::getSimpleName)
                  .collect(Collectors.toCollection(TreeSet::new));
          events.add(
              SimpleConditionEvent.violated(
                  pkg,
                  "package "
                      + pkg.getName()
                      + " (classes "
                      + classes
                      + ") has no package-info.java with @NullMarked"));
        }
      }
    };
  }

  /** The services are ordinary programs: Heddle starts them, they do not know it. */
  @ArchTest
  static final ArchRule servicesDoNotUseHeddle =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.heddle.examples.orders.orderd..", "dev.heddle.examples.orders.positiond..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "dev.heddle.examples.orders.orderd..",
              "dev.heddle.examples.orders.positiond..",
              "java..",
              "javax..",
              "org.sqlite..",
              "org.jspecify..")
          .because(
              "orderd and positiond run in their own JVMs with only their classes and sqlite-jdbc on"
                  + " the classpath (JavaCommand); controller code belongs in"
                  + " dev.heddle.examples.orders");
}
