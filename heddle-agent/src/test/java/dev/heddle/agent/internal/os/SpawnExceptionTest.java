package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.heddle.agent.internal.os.SpawnException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SpawnException kind, with the exact message a user would read. */
class SpawnExceptionTest {
  @TempDir Path dir;

  private SpawnSpec spec(String executable, String... args) {
    return new SpawnSpec(
        executable,
        List.of(args),
        Kids.ENV,
        null,
        List.of(),
        dir.resolve("out.log"),
        dir.resolve("err.log"),
        null);
  }

  private SpawnException fails(Kind kind, SpawnSpec spec) {
    int fdsBefore = Fds.openFdCount();
    SpawnException e = assertThrows(SpawnException.class, () -> Spawner.spawn(spec));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(fdsBefore, Fds.openFdCount(), "fds leaked by a failed spawn");
    return e;
  }

  @Test
  void emptyCommand() {
    assertEquals(
        "The command is empty: give an executable, either a path or a name to look up on the PATH.",
        fails(Kind.EMPTY_COMMAND, spec(" ")).getMessage());
  }

  @Test
  void missingExecutableByPath() {
    assertEquals(
        "Executable /no/such/prog does not exist.",
        fails(Kind.MISSING_EXECUTABLE, spec("/no/such/prog")).getMessage());
  }

  @Test
  void missingExecutableOnThePath() {
    assertEquals(
        "Executable 'no-such-prog' was not found on the PATH; PATH searched: /usr/bin:/bin"
            + " (the PATH in the process's environment).",
        fails(Kind.MISSING_EXECUTABLE, spec("no-such-prog")).getMessage());
  }

  @Test
  void missingPathFallsBackToTheAgentsPath() {
    var e =
        assertThrows(
            SpawnException.class, () -> Spawner.resolveExecutable("no-such-prog", Map.of()));
    assertEquals(
        "Executable 'no-such-prog' was not found on the PATH; PATH searched: "
            + System.getenv("PATH")
            + " (the agent's PATH, since the process's environment has none).",
        e.getMessage());
  }

  @Test
  void notExecutableFile() throws Exception {
    Path file = Files.writeString(dir.resolve("data.txt"), "not a program");
    assertEquals(
        "Executable "
            + file
            + " exists but is not executable (no execute permission; chmod +x it).",
        fails(Kind.NOT_EXECUTABLE, spec(file.toString())).getMessage());
  }

  @Test
  void directoryIsNotExecutable() {
    assertEquals(
        "Executable " + dir + " is a directory.",
        fails(Kind.NOT_EXECUTABLE, spec(dir.toString())).getMessage());
  }

  @Test
  void notExecutableOnThePath() throws Exception {
    Files.writeString(dir.resolve("tool"), "x");
    var e =
        assertThrows(
            SpawnException.class,
            () -> Spawner.resolveExecutable("tool", Map.of("PATH", dir.toString())));
    assertEquals(Kind.NOT_EXECUTABLE, e.kind());
    assertEquals(
        "Executable 'tool' was found on the PATH at "
            + dir.resolve("tool")
            + ", but it exists but is not"
            + " executable (no execute permission; chmod +x it); PATH searched: "
            + dir
            + " (the PATH in the process's environment).",
        e.getMessage());
  }

  @Test
  void missingWorkingDirectory() {
    var spec = Kids.withCwd(spec("/bin/true"), dir.resolve("gone"));
    assertEquals(
        "The working directory " + dir.resolve("gone") + " does not exist.",
        fails(Kind.CWD_MISSING, spec).getMessage());
  }

  @Test
  void workingDirectoryThatIsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "");
    assertEquals(
        "The working directory " + file + " is not a directory.",
        fails(Kind.CWD_MISSING, Kids.withCwd(spec("/bin/true"), file)).getMessage());
  }

  @Test
  void badEnvironmentNames() {
    assertEquals(
        "Environment variable name 'A=B' contains '=', which would split it into another name and value.",
        fails(Kind.BAD_ENV, Kids.withEnv(spec("/bin/true"), Map.of("A=B", "1"))).getMessage());
    assertEquals(
        "An environment variable has an empty name (its value is 'v').",
        fails(Kind.BAD_ENV, Kids.withEnv(spec("/bin/true"), Map.of("", "v"))).getMessage());
    assertEquals(
        "Environment variable name 'A\\u0000B' contains a NUL character.",
        fails(Kind.BAD_ENV, Kids.withEnv(spec("/bin/true"), Map.of("A\0B", "1"))).getMessage());
    assertEquals(
        "The value of environment variable A contains a NUL character.",
        fails(Kind.BAD_ENV, Kids.withEnv(spec("/bin/true"), Map.of("A", "x\0y"))).getMessage());
  }

  @Test
  void badFdName() throws Exception {
    int fd = Sockets.listenTcp("127.0.0.1", 0, 1);
    try {
      var spec = Kids.withFds(spec("/bin/true"), List.of(new PassedFd(fd, "a:b")));
      assertEquals(
          "Passed fd "
              + fd
              + " (name 'a:b', fd 3 in the child) has an invalid name for LISTEN_FDNAMES:"
              + " names are at most 255 printable ASCII characters without ':'.",
          fails(Kind.BAD_ENV, spec).getMessage());
    } finally {
      Fds.close(fd);
    }
  }

  @Test
  void closedFd() {
    int fd = 999_999; // far above anything open
    var spec = Kids.withFds(spec("/bin/true"), List.of(new PassedFd(fd, "http")));
    assertEquals(
        "Passed fd 999999 (name 'http', fd 3 in the child) is not open in the agent.",
        fails(Kind.CLOSED_FD, spec).getMessage());
  }

  @Test
  void logDirectoryMissing() {
    Path log = dir.resolve("missing/out.log");
    assertEquals(
        "Cannot write the stdout log "
            + log
            + ": its directory "
            + log.getParent()
            + " does not exist.",
        fails(Kind.LOG_NOT_WRITABLE, Kids.withLogs(spec("/bin/true"), log, dir.resolve("err.log")))
            .getMessage());
  }

  @Test
  void logThatIsADirectory() {
    assertEquals(
        "Cannot write the stderr log " + dir + ": it is a directory.",
        fails(Kind.LOG_NOT_WRITABLE, Kids.withLogs(spec("/bin/true"), dir.resolve("out.log"), dir))
            .getMessage());
  }

  @Test
  void spawnFailureCarriesErrno() throws Exception {
    Path garbage = Files.write(dir.resolve("garbage"), new byte[] {0x7f, 1, 2, 3, 4, 5, 6, 7});
    garbage.toFile().setExecutable(true);
    var e = fails(Kind.SPAWN_FAILED, spec(garbage.toString()));
    assertEquals(8, e.errno()); // ENOEXEC: glibc reports exec failures synchronously
    assertEquals(
        "Could not start "
            + garbage
            + ": posix_spawn("
            + garbage
            + ") failed: ENOEXEC (Exec format error)",
        e.getMessage());
  }

  @Test
  void argumentWithNul() {
    assertEquals(
        "Argument 2 of /bin/echo (a\\u0000b) contains a NUL character, which a C string cannot hold.",
        fails(Kind.SPAWN_FAILED, spec("/bin/echo", "ok", "a\0b")).getMessage());
  }

  @Test
  void missingCgroup() {
    Path group = dir.resolve("no-group");
    assertEquals(
        "The cgroup "
            + group
            + " does not exist or is not a cgroup v2 directory (no cgroup.procs);"
            + " create it with Cgroups.create.",
        fails(Kind.SPAWN_FAILED, Kids.withCgroup(spec("/bin/true"), group)).getMessage());
  }
}
