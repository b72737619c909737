package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001's claim, checked with the real compiler: a start function that needs an HTTP/2 peer does
 * not accept an HTTP/1 endpoint, and an optional dependency can be left out in one environment and
 * given in another.
 */
class TypedWiringTest {
  @TempDir Path out;

  static final String START_FUNCTIONS =
      """
      import dev.heddle.Endpoint;
      import dev.heddle.Endpoint.Http1;
      import dev.heddle.Endpoint.Http2;
      import java.util.Optional;

      class Wiring {
        record D<P extends Endpoint.Protocol>(Endpoint<P> endpoint) {}
        record E(String backend) {}
        record G(String url) {}
        record F(Optional<G> g) {}

        static E startE(D<Http2> d) { return new E(d.endpoint().url()); }
        static F startF(Optional<G> g) { return new F(g); }
      %s
      }
      """;

  record Compiled(boolean ok, List<Diagnostic<? extends JavaFileObject>> errors) {}

  Compiled compile(String body) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String source = START_FUNCTIONS.formatted(body);
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///Wiring.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Files.createDirectories(out);
    List<String> options =
        List.of(
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            out.toString(),
            "-Xlint:all");
    boolean ok =
        javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(file)).call();
    return new Compiled(
        ok,
        diagnostics.getDiagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .toList());
  }

  @Test
  void anHttp1ServicePassedWhereHttp2IsNeededDoesNotCompile() throws Exception {
    Compiled c =
        compile(
            """
              static E main() {
                D<Http1> d = new D<>(Endpoint.http1("127.0.0.1", 8080));
                return startE(d);
              }
            """);
    assertEquals(false, c.ok(), "the miswired call compiled");
    assertEquals(1, c.errors().size(), c.errors()::toString);
    var error = c.errors().getFirst();
    String message = error.getMessage(null);
    assertTrue(
        message.contains(
            "incompatible types: Wiring.D<dev.heddle.Endpoint.Http1> cannot be converted to"
                + " Wiring.D<dev.heddle.Endpoint.Http2>"),
        message);
    // line 16 of the source: "return startE(d);"
    assertEquals(16, error.getLineNumber(), "the error is not on the miswired call: " + message);
  }

  @Test
  void theSameCallWithAnHttp2ServiceCompiles() throws Exception {
    Compiled c =
        compile(
            """
              static E main() {
                D<Http2> d = new D<>(Endpoint.http2("127.0.0.1", 8080));
                return startE(d);
              }
            """);
    assertTrue(c.ok(), c.errors()::toString);
  }

  @Test
  void anOptionalDependencyIsGivenInOneEnvironmentAndLeftOutInAnother() throws Exception {
    Compiled withAndWithout =
        compile(
            """
              static F production() { return startF(Optional.of(new G("http://g:1"))); }
              static F laptop() { return startF(Optional.empty()); }
            """);
    assertTrue(withAndWithout.ok(), withAndWithout.errors()::toString);
    Compiled bare = compile("  static F wrong() { return startF(new G(\"http://g:1\")); }\n");
    assertEquals(false, bare.ok(), "a bare G compiled where Optional<G> is declared");
  }

  @Test
  void endpointsRefuseBadPortsAndHostsAndFormatUrls() {
    assertEquals("http://127.0.0.1:8080", Endpoint.http2("127.0.0.1", 8080).url());
    assertEquals("tcp://[::1]:7000", Endpoint.tcp("::1", 7000).url());
    var port = assertThrows(IllegalArgumentException.class, () -> Endpoint.http1("h", 0));
    assertTrue(port.getMessage().contains("1-65535, got 0"), port.getMessage());
    var host = assertThrows(IllegalArgumentException.class, () -> Endpoint.tcp("", 1));
    assertTrue(host.getMessage().contains("needs a host"), host.getMessage());
  }
}
