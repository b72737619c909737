package dev.heddle.junit;

import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.junit.internal.Harness;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension behind {@link HeddleTest}; use the annotation rather than this class.
 *
 * <ul>
 *   <li><b>Injection.</b> {@link Scope}, {@link Host} and {@link Path} parameters of test methods,
 *       {@code @BeforeEach} methods and constructors (with {@code PER_CLASS}, also of
 *       {@code @BeforeAll} methods) get the test's scope, its local host (an agent of its own, so
 *       that closing it cannot touch another test's processes) and its directory. Another type from
 *       {@code dev.heddle} is refused with a {@link ParameterResolutionException} saying what is
 *       supported; a {@code @TempDir Path} is left to JUnit.
 *   <li><b>A failing scope fails the test at once.</b> Test and {@code @BeforeEach} methods run on
 *       a virtual thread named {@code test/<Class.method>}; when the scope fails (say, a service
 *       exits and its policy does not restart it), that thread is interrupted, and the test fails
 *       with an {@link org.opentest4j.AssertionFailedError} carrying the service, its exit status
 *       and the last lines of its stderr.
 *   <li><b>Nothing outlives the test.</b> After it, the scope is closed, then the extension looks
 *       for processes of the scope still alive, processes started on the test's host outside the
 *       scope, the agent (must have exited once the host closed), and, when no other Heddle test
 *       ran meanwhile, agents and threads started during the test and still running. Each leak is
 *       listed in the failure, with the service and the test that started it.
 *   <li><b>Parallel tests</b> do not share a scope, a host or a directory; ports should be chosen
 *       by the agent ({@code SocketSpec.tcp(host, 0)}).
 * </ul>
 *
 * <p>Thread-safe: all state lives in JUnit's {@link ExtensionContext.Store}.
 */
public final class HeddleExtension
    implements ParameterResolver,
        BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        InvocationInterceptor {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(HeddleExtension.class);
  private static final String HARNESS = "harness";

  /** Creates the extension (JUnit does, through {@link HeddleTest}). */
  public HeddleExtension() {}

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD; // constructors get the test's own scope
  }

  private static HeddleTest.Lifecycle lifecycle(ExtensionContext context) {
    HeddleTest a = context.getRequiredTestClass().getAnnotation(HeddleTest.class);
    return a == null ? HeddleTest.Lifecycle.PER_TEST : a.scope();
  }

  private static List<String> allowedThreads(ExtensionContext context) {
    HeddleTest a = context.getRequiredTestClass().getAnnotation(HeddleTest.class);
    return a == null ? List.of() : List.of(a.allowThreads());
  }

  /** The context that owns the harness: the test's, or the class's with {@code PER_CLASS}. */
  private static Optional<ExtensionContext> owner(ExtensionContext context) {
    if (lifecycle(context) == HeddleTest.Lifecycle.PER_CLASS) {
      ExtensionContext c = context;
      while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
        c = c.getParent().get();
      }
      return Optional.of(c);
    }
    return context.getTestMethod().isPresent() ? Optional.of(context) : Optional.empty();
  }

  private static Harness harness(ExtensionContext owner) {
    return owner
        .getStore(NS)
        .computeIfAbsent(
            HARNESS, k -> Harness.open(testName(owner), allowedThreads(owner)), Harness.class);
  }

  private static @Nullable Harness existing(ExtensionContext context) {
    return owner(context).map(o -> o.getStore(NS).get(HARNESS, Harness.class)).orElse(null);
  }

  private static String testName(ExtensionContext owner) {
    String cls = owner.getRequiredTestClass().getSimpleName();
    return owner.getTestMethod().map(m -> cls + "." + m.getName()).orElse(cls);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Path.class) {
      return !parameter.isAnnotated(TempDir.class);
    }
    return type.getPackageName().startsWith("dev.heddle");
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type != Scope.class && type != Host.class && type != Path.class) {
      throw new ParameterResolutionException(
          "@HeddleTest cannot inject "
              + type.getName()
              + " (parameter '"
              + parameter.getParameter().getName()
              + "' of "
              + parameter.getDeclaringExecutable()
              + "): it injects dev.heddle.Scope (the test's scope), dev.heddle.Host (its local"
              + " host) and java.nio.file.Path (its directory). Make other things from these"
              + " in the test, e.g. scope.supervise(...) for a ServiceHandle.");
    }
    ExtensionContext owner =
        owner(context)
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "@HeddleTest cannot inject "
                            + type.getSimpleName()
                            + " into "
                            + parameter.getDeclaringExecutable()
                            + ": with scope = PER_TEST there is no test yet; use"
                            + " @HeddleTest(scope = PER_CLASS) to share one across the class"));
    Harness h = harness(owner);
    if (type == Scope.class) {
      return h.scope();
    }
    if (type == Host.class) {
      return h.host();
    }
    return h.directory();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (lifecycle(context) == HeddleTest.Lifecycle.PER_CLASS) {
      harness(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    owner(context).ifPresent(HeddleExtension::harness);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (lifecycle(context) == HeddleTest.Lifecycle.PER_CLASS) {
      Harness h = existing(context);
      if (h != null && context.getExecutionException().isPresent()) {
        h.testFailed();
      }
    } else {
      Harness h = context.getStore(NS).remove(HARNESS, Harness.class);
      if (h != null) {
        h.close(context.getExecutionException().isPresent());
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (lifecycle(context) == HeddleTest.Lifecycle.PER_CLASS) {
      Harness h = context.getStore(NS).remove(HARNESS, Harness.class);
      if (h != null) {
        h.close(context.getExecutionException().isPresent());
      }
    }
  }

  @Override
  public void interceptTestMethod(
      Invocation<@Nullable Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    watched(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<@Nullable Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    watched(invocation, context);
  }

  @Override
  public void interceptBeforeEachMethod(
      Invocation<@Nullable Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    watched(invocation, context);
  }

  private static void watched(Invocation<@Nullable Void> invocation, ExtensionContext context)
      throws Throwable {
    Harness h = existing(context);
    if (h == null) {
      invocation.proceed();
    } else {
      h.run(invocation);
    }
  }
}
