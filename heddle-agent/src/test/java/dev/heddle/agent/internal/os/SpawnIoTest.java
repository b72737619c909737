package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnIoTest {
  static ExitReactor reactor;
  @TempDir Path dir;
  Kids kids;

  @BeforeAll
  static void startReactor() throws OsException {
    reactor = ExitReactor.start("test-io-reactor");
  }

  @AfterAll
  static void stopReactor() {
    reactor.close();
  }

  @BeforeEach
  void setUp() {
    kids = new Kids(reactor, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    kids.close();
  }

  @Test
  void stdoutAndStderrAreAppendedToTheirFiles() throws Exception {
    Files.writeString(kids.out(), "before\n");
    assertEquals(new RawExit.Exited(0), kids.sh("echo to-out; echo to-err >&2").await());
    assertEquals("before\nto-out\n", Files.readString(kids.out()));
    assertEquals("to-err\n", Files.readString(kids.err()));
  }

  @Test
  void stdoutAndStderrMayShareOneFile() throws Exception {
    Path both = dir.resolve("both.log");
    var spec =
        Kids.withLogs(kids.spec("/bin/sh", "-c", "echo one; echo two >&2; echo three"), both, both);
    kids.spawn(spec).await();
    assertEquals("one\ntwo\nthree\n", Files.readString(both));
  }

  @Test
  void stdinIsDevNull() throws Exception {
    kids.sh("readlink /proc/self/fd/0; cat; echo eof").await();
    assertEquals("/dev/null\neof\n", kids.readOut());
  }

  @Test
  void workingDirectoryIsHonoured() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work dir"));
    kids.spawn(Kids.withCwd(kids.spec("/bin/pwd"), work)).await();
    assertEquals(work.toRealPath() + "\n", kids.readOut());
  }

  @Test
  void relativeExecutableIsResolvedAgainstTheWorkingDirectory() throws Exception {
    Path work = Files.createDirectory(dir.resolve("w"));
    Path script = work.resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho ran in $(pwd)\n");
    script.toFile().setExecutable(true);
    kids.spawn(Kids.withCwd(kids.spec("./run.sh"), work)).await();
    assertEquals("ran in " + work.toRealPath() + "\n", kids.readOut());
  }

  @Test
  void environmentIsExactlyWhatWasGiven() throws Exception {
    var env = Kids.env("ALPHA", "1", "SPACED", "x y", "EMPTY", "", "UNICODE", "grüße");
    assertEquals(
        new RawExit.Exited(0), kids.spawn(Kids.withEnv(kids.spec("/usr/bin/env"), env)).await());
    assertEquals(
        List.of("ALPHA=1", "SPACED=x y", "EMPTY=", "UNICODE=grüße"),
        Files.readAllLines(kids.out()));
  }

  @Test
  void argumentsArePassedVerbatim() throws Exception {
    var spec = kids.spec("printf", "[%s]\\n", "a b", "", "$HOME", "'q'");
    assertEquals(new RawExit.Exited(0), kids.spawn(spec).await());
    assertEquals(List.of("[a b]", "[]", "[$HOME]", "['q']"), Files.readAllLines(kids.out()));
  }

  @Test
  void argvZeroIsTheExecutableAsGivenWithoutTrampoline() throws Exception {
    String script =
        "cat /proc/$$/cmdline | tr '\\0' ' '"; // a pipeline, so sh forks and stays itself
    kids.spawn(kids.spec("sh", "-c", script)).await();
    assertEquals("sh -c " + script + " ", kids.readOut());
  }

  @Test
  void pathIsSearchedInTheGivenEnvironment() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = bin.resolve("heddle-test-tool");
    Files.writeString(tool, "#!/bin/sh\necho found me\n");
    tool.toFile().setExecutable(true);
    var spec = Kids.withEnv(kids.spec("heddle-test-tool"), Kids.env("PATH", "/nonexistent:" + bin));
    kids.spawn(spec).await();
    assertEquals("found me\n", kids.readOut());
  }
}
