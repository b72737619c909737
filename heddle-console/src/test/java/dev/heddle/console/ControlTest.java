package dev.heddle.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.Readiness;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.console.live.Console;
import dev.heddle.junit.HeddleTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bin/heddle status, logs, events, restart, stop, start against a running system; bad input. */
@HeddleTest
class ControlTest {
  Scope scope;
  Path dir;
  Path systems;
  ServiceHandle web;
  Console console;

  record Run(int code, String out, String err) {}

  Run heddle(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--systems-dir");
    all.add(systems.toString());
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        HeddleMain.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * JShell's source analysis starts a JVM-wide daemon thread (its class-path indexer) the first
   * time it is used; start it before any test's leak baseline, as the JDK's own lazily started
   * threads.
   */
  @BeforeAll
  static void startJShellsIndexer() {
    try (var shell = jdk.jshell.JShell.builder().executionEngine("local").build()) {
      shell.addToClasspath(System.getProperty("java.class.path"));
      var _ = shell.sourceCodeAnalysis().analyzeCompletion("1 + 1");
      shell.eval("1 + 1");
    }
  }

  @BeforeEach
  void start(Scope scope, Host host, Path dir) throws Exception {
    this.scope = scope;
    this.dir = dir;
    this.systems = dir.resolve("systems");
    RestartPolicy policy = RestartPolicy.permanent();
    ServiceHandle ticker =
        scope.supervise(
            Service.named("ticker")
                .on(host)
                .command(
                    Command.shell(
                        "echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done"))
                .readyWhen(Readiness.logLine("^started$", Duration.ofSeconds(10)))
                .restart(policy));
    web =
        scope.supervise(
            Service.named("web")
                .on(host)
                .command(Command.of("sleep", "300"))
                .dependsOn(ticker)
                .restart(policy));
    console = start("shop", dir.resolve("state"));
  }

  Console start(String name, Path state) throws Exception {
    return Console.start(
        scope, name, state, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), systems);
  }

  @AfterEach
  void stop() {
    console.close();
  }

  @Test
  void statusShowsTheServicesAndJsonParses() throws Exception {
    Run r = heddle("status");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().startsWith("system shop (pid " + ProcessHandle.current().pid() + ")"), r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("ticker") && l.contains("ready")), r.out());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.startsWith("web") && l.contains(String.valueOf(web.current().pid()))),
        r.out());
    Run j = heddle("status", "--json");
    assertEquals(2, new ObjectMapper().readTree(j.out()).size(), j.out());
  }

  @Test
  void logsEventsAndActions() throws Exception {
    Thread.sleep(300);
    Run logs = heddle("logs", "ticker", "-n", "2");
    assertEquals(0, logs.code(), logs.err());
    assertEquals(2, logs.out().lines().count(), logs.out());
    assertTrue(logs.out().lines().allMatch(l -> l.startsWith("tick ")), logs.out());
    int before = web.current().pid();
    Run restart = heddle("restart", "web");
    assertEquals(0, restart.code(), restart.err());
    assertNotEquals(before, web.current().pid());
    assertTrue(restart.out().contains("pid " + web.current().pid()), restart.out());
    assertTrue(heddle("stop", "web").out().startsWith("web: stopped,"));
    Run again = heddle("stop", "web");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("web is already stopped"), again.err());
    assertEquals(0, heddle("start", "web").code());
    Run events = heddle("events", "-n", "3");
    assertEquals(3, events.out().lines().count(), events.out());
    assertTrue(events.out().contains("Ready  web#3"), events.out());
  }

  Run heddleWithInput(String input, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--systems-dir");
    all.add(systems.toString());
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        HeddleMain.run(
            all.toArray(String[]::new),
            new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            false,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theReplStartsANewServiceOnTheLiveSystemAndStatusShowsIt() throws Exception {
    Run repl =
        heddleWithInput(
            String.join(
                "\n",
                "web.current().pid() == " + web.current().pid(),
                "var extra = scope.supervise(",
                "    Service.named(\"extra\").on(host).command(Command.of(\"sleep\", \"300\")));",
                "extra.name()",
                "nosuchthing.call()",
                "ticker.service().dependencies().size()",
                "/exit",
                "\"not evaluated\""),
            "repl");
    assertEquals(0, repl.code(), repl.err());
    // an error's later lines are indented
    List<String> lines = repl.out().lines().filter(l -> !l.startsWith(" ")).toList();
    assertTrue(lines.get(0).matches("\\$\\d+ ==> true"), repl.out());
    assertTrue(lines.get(1).startsWith("extra ==> ServiceHandle[name=extra"), repl.out());
    assertTrue(lines.get(2).matches("\\$\\d+ ==> \"extra\""), repl.out());
    assertTrue(lines.get(3).startsWith("error: cannot find symbol"), repl.out());
    assertTrue(lines.get(4).matches("\\$\\d+ ==> 0"), repl.out());
    assertEquals(5, lines.size(), repl.out());
    Run status = heddle("status");
    assertTrue(
        status.out().lines().anyMatch(l -> l.startsWith("extra") && l.contains("ready")),
        status.out());
  }

  /**
   * {@code heddle repl} in another JVM whose stdin and stdout are a pseudo-terminal ({@code script}
   * from util-linux holds the other side, sized 100x30 as a window would be): sends each group of
   * keys once the prompt before it was printed, and returns everything the terminal showed, escape
   * sequences included.
   */
  String replOnATerminal(Path stateHome, String... keys) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElseThrow();
    String command =
        String.join(
            " ",
            "stty cols 100 rows 30;",
            javaBin,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            HeddleMain.class.getName(),
            "repl",
            "--systems-dir",
            systems.toString());
    var pb = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true);
    pb.environment().put("XDG_STATE_HOME", stateHome.toString());
    pb.environment().put("TERM", "xterm");
    Process p = pb.start();
    var shown = new ByteArrayOutputStream(); // written by the reader, read here; synchronized
    Thread reader =
        Thread.ofVirtual()
            .name("test/pty-reader")
            .start(
                () -> {
                  try (var in = p.getInputStream()) {
                    in.transferTo(shown);
                  } catch (java.io.IOException e) {
                    shown.writeBytes(
                        ("\n[reading the terminal failed: " + e + "]").getBytes(UTF_8));
                  }
                });
    try (var in = p.getOutputStream()) {
      int prompts = 0;
      var prompt = java.util.regex.Pattern.compile("(shop|\\.\\.\\.)> ");
      for (String typed : keys) {
        prompts++;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (prompt.matcher(shown.toString(UTF_8)).results().count() < prompts) {
          assertTrue(
              System.nanoTime() < deadline,
              "no prompt #" + prompts + " in:\n" + shown.toString(UTF_8));
          Thread.sleep(20);
        }
        in.write(typed.getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      assertTrue(
          p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS),
          "still runs:\n" + shown.toString(UTF_8));
    } finally {
      p.destroyForcibly();
    }
    reader.join(Duration.ofSeconds(10));
    assertEquals(0, p.exitValue(), shown.toString(UTF_8));
    return shown.toString(UTF_8);
  }

  @Test
  void theReplOnATerminalEditsLinesAndKeepsItsHistoryAcrossSessions() throws Exception {
    Path stateHome = dir.resolve("xdg-state");
    String enter = "\r";
    String first =
        replOnATerminal(
            stateHome, "6 *" + enter, "7" + enter, "\"a\" != \"b\"" + enter, "/exit" + enter);
    assertTrue(first.contains("==> 42"), first); // the snippet continued on a second line
    assertTrue(first.contains("==> true"), first); // '!' is not a history event
    String kept = Files.readString(stateHome.resolve("heddle/repl_history"));
    assertTrue(kept.contains("6 *") && kept.contains("\"a\" != \"b\""), kept);

    // the up arrow (as xterm sends it in the keypad mode JLine sets) twice, past /exit, recalls
    // the comparison; Ctrl-A and Ctrl-E edit it; Ctrl-C on an empty line ends the session
    String up = "\u001bOA";
    String second = replOnATerminal(stateHome, up + up + "\u0001!(\u0005)" + enter, "\u0003");
    assertTrue(second.contains("==> false"), second);
    assertTrue(
        Files.readString(stateHome.resolve("heddle/repl_history")).contains("!(\"a\" != \"b\")"));
  }

  @Test
  void unknownServiceAndBadUsage() throws Exception {
    Run unknown = heddle("restart", "nope");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("no service 'nope' in system 'shop'"), unknown.err());
    assertEquals(2, heddle("logs").code());
    Run n = heddle("logs", "ticker", "-n", "abc");
    assertEquals(2, n.code());
    assertTrue(n.err().contains("-n takes a whole number"), n.err());
    Run option = heddle("status", "--colour");
    assertEquals(2, option.code());
    assertTrue(option.err().contains("unknown option --colour"), option.err());
  }

  @Test
  void noSystemStaleRegistrationAndSeveralSystems() throws Exception {
    console.close();
    Run none = heddle("status");
    assertEquals(1, none.code());
    assertTrue(
        none.err().contains("no Heddle system is running (looked in " + systems), none.err());

    Files.createDirectories(systems);
    Path stale = systems.resolve("ghost-999999.json");
    Files.writeString(
        stale,
        "{\"system\":\"ghost\",\"pid\":999999,\"address\":\"127.0.0.1\",\"port\":1,\"tokenFile\":\"/nonexistent\"}");
    Run ghost = heddle("status");
    assertEquals(1, ghost.code());
    assertTrue(
        ghost.err().contains("'ghost' (pid 999999") && ghost.err().contains("not running"),
        ghost.err());
    assertTrue(Files.notExists(stale), "the stale file was kept");

    console = start("shop", dir.resolve("state"));
    Console other = start("lab", dir.resolve("state2"));
    try {
      Run several = heddle("status");
      assertEquals(2, several.code());
      assertTrue(
          several.err().contains("several systems run") && several.err().contains("--system"),
          several.err());
      Run picked = heddle("status", "--system", "lab");
      assertEquals(0, picked.code(), picked.err());
      assertTrue(picked.out().startsWith("system lab"), picked.out());
    } finally {
      other.close();
    }
  }

  @Test
  void aRefusedTokenAndStoppingTheSystem() throws Exception {
    Path token = dir.resolve("state/console/token");
    String good = Files.readString(token);
    Files.writeString(token, "not-the-token");
    Run refused = heddle("status");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("refused the token"), refused.err());
    Files.writeString(token, good);
    Run stop = heddle("stop");
    assertEquals(0, stop.code(), stop.err());
    scope.awaitExit(Duration.ofSeconds(10));
    assertTrue(scope.isCancelled());
  }
}
