package dev.heddle.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class with Heddle: test methods, {@code @BeforeEach} methods and constructors may
 * take a {@link dev.heddle.Scope} (opened for the test, named {@code <class>.<method>}, closed
 * after it), a {@link dev.heddle.Host} (a local agent of the test's own, closed after it) and a
 * {@link java.nio.file.Path} (a fresh directory, deleted after a passing test and kept, with the
 * services' logs, after a failing one).
 *
 * <p>A failure of the scope that no restart policy absorbs (a service that exits and is not
 * restarted, say) fails the running test at once: its thread is interrupted and the test fails with
 * the service, its exit status and the last lines of its stderr. After the test, nothing Heddle
 * started may be alive; otherwise the test fails listing each leak. See {@link HeddleExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(HeddleExtension.class)
public @interface HeddleTest {

  /** How long the injected scope, host and directory live. */
  Lifecycle scope() default Lifecycle.PER_TEST;

  /**
   * Name prefixes of threads that a library the test uses keeps alive on purpose after the test (a
   * shared pool, say {@code "UrlChecker-"} of Selenium); they are not reported as leaks. Heddle's
   * own threads and processes are always checked.
   */
  String[] allowThreads() default {};

  /** How long the injected scope, host and directory live. */
  enum Lifecycle {
    /** A new scope, host and directory for every test method (the default). */
    PER_TEST,
    /**
     * One scope, host and directory for the whole class, closed after its last test; a failure of
     * the scope fails the test running then and every later test of the class.
     */
    PER_CLASS
  }
}
