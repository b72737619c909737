package dev.heddle.console.live;

import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.jspecify.annotations.Nullable;

/**
 * A Java shell (JShell, executing in this JVM) on the live system: {@code scope}, the hosts and
 * every service handle are bound to variables ({@code orderd-1} becomes {@code orderd_1}), so a
 * user can inspect them and call start functions: {@code var risk = startRiskd(scope, host,
 * orderd)}. One shell per console, owned by one thread ({@code console/repl}); requests wait for
 * it. Reached through {@code POST /api/repl} (token in the header) and {@code heddle repl}.
 */
final class Repl implements AutoCloseable {
  private final String id = Integer.toHexString(System.identityHashCode(this));
  private final ExecutorService owner =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("console/repl").daemon(true).factory());
  private final Scope scope;
  private @Nullable JShell shell; // only on the owner thread

  Repl(Scope scope) {
    this.scope = scope;
  }

  private JShell startShell() {
    JShell s = JShell.builder().executionEngine("local").build();
    s.addToClasspath(System.getProperty("java.class.path"));
    for (String imp :
        List.of(
            "import dev.heddle.*;",
            "import java.nio.file.*;",
            "import java.time.Duration;",
            "import java.util.*;")) {
      s.eval(imp);
    }
    bind(s, "scope", Scope.class, scope);
    return s;
  }

  /**
   * Binds the live values that are new since the last call: each service handle by its name, each
   * host as {@code host_<name>}, and the first service's host as {@code host}.
   */
  private void refreshBindings(JShell s) {
    Map<String, Object> wanted = new LinkedHashMap<>();
    for (ServiceHandle h : scope.services()) {
      wanted.put(identifier(h.name()), h);
      wanted.putIfAbsent("host", h.host());
      wanted.putIfAbsent(identifier("host_" + h.host().name()), h.host());
    }
    for (var e : wanted.entrySet()) {
      Object v = e.getValue();
      if (!ReplBindings.holds(id + "/" + e.getKey(), v)) {
        bind(s, e.getKey(), v instanceof ServiceHandle ? ServiceHandle.class : Host.class, v);
      }
    }
  }

  private void bind(JShell s, String name, Class<?> type, Object value) {
    String key = id + "/" + name;
    ReplBindings.put(key, value);
    String typeName = Modifier.isPublic(type.getModifiers()) ? type.getCanonicalName() : "Object";
    s.eval(
        "var "
            + name
            + " = ("
            + typeName
            + ") "
            + ReplBindings.class.getName()
            + ".get(\""
            + key
            + "\");");
  }

  static String identifier(String name) {
    String id = name.replaceAll("[^A-Za-z0-9_]", "_");
    return Character.isJavaIdentifierStart(id.charAt(0)) ? id : "_" + id;
  }

  /** What one input produced. */
  record Result(List<String> values, List<String> errors, String remaining) {}

  /**
   * Evaluates {@code code} (one or more complete snippets) on the shell's thread, waiting up to
   * {@code timeoutSeconds}.
   */
  Result eval(String code, long timeoutSeconds) throws InterruptedException {
    Future<Result> f = owner.submit(() -> evalOnOwner(code));
    try {
      return f.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return new Result(List.of(), List.of(String.valueOf(e.getCause())), "");
    } catch (TimeoutException e) {
      JShell s = shell;
      if (s != null) {
        s.stop(); // asks the running snippet to stop
      }
      return new Result(
          List.of(), List.of("stopped after " + timeoutSeconds + " s (the snippet still ran)"), "");
    }
  }

  private Result evalOnOwner(String code) {
    JShell shell = this.shell;
    if (shell == null) {
      shell = startShell();
      this.shell = shell;
    }
    refreshBindings(shell);
    List<String> values = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String rest = code;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
      if (!info.completeness().isComplete()) {
        return new Result(values, errors, rest);
      }
      for (SnippetEvent e : shell.eval(info.source())) {
        if (e.exception() != null) {
          errors.add(String.valueOf(e.exception()));
        } else if (e.status() == Snippet.Status.REJECTED) {
          shell
              .diagnostics(e.snippet())
              .forEach((Diag d) -> errors.add(d.getMessage(java.util.Locale.ROOT)));
        } else if (e.value() != null && e.causeSnippet() == null) {
          String name = e.snippet() instanceof jdk.jshell.VarSnippet v ? v.name() + " ==> " : "";
          values.add(name + e.value());
        }
      }
      rest = info.remaining();
    }
    return new Result(values, errors, "");
  }

  @Override
  public void close() {
    if (owner.isShutdown()) {
      return;
    }
    var _ =
        owner.submit(
            () -> {
              if (shell != null) {
                shell.close();
              }
            });
    owner.shutdown();
    try {
      owner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ReplBindings.removePrefix(id + "/");
  }
}
