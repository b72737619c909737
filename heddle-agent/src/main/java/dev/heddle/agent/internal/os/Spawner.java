package dev.heddle.agent.internal.os;

import static dev.heddle.agent.internal.os.SpawnException.Kind.MISSING_EXECUTABLE;
import static dev.heddle.agent.internal.os.SpawnException.Kind.NOT_EXECUTABLE;
import static dev.heddle.agent.internal.os.SpawnException.Kind.SPAWN_FAILED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Starts processes with posix_spawn through FFM: new session, stdin from /dev/null, stdout and
 * stderr appended to files, passed fds at 3, 4, ... and nothing else of the JVM leaking in.
 * Thread-safe; every method returns promptly (posix_spawn returns once the child has exec'd).
 */
public final class Spawner {
  static final String SH = "/bin/sh";
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  private static final int HIGH_FD = 1000;
  private static final int P_PID = 1;
  private static final int SYS_PIPE2 = 293;
  private static final int O_CLOEXEC = 02000000;
  private static final Set<String> LISTEN_VARS =
      Set.of("LISTEN_FDS", "LISTEN_FDNAMES", "LISTEN_PID");

  /** heddle-exec once {@link #installExecHelper} succeeded; null means the sh trampoline. */
  private static volatile @Nullable Path execHelper;

  private Spawner() {}

  /** Uses helper (null: the sh trampoline) from now on; for tests. */
  static void useExecHelper(@Nullable Path helper) {
    execHelper = helper;
  }

  /**
   * Installs heddle-exec into dir and uses it from now on instead of the {@code sh -c} trampoline
   * (for a cgroup and {@code LISTEN_PID}): it does the same in about a hundredth of the CPU time.
   * Call it before the first spawn, while no other thread spawns (a child forked while the file is
   * open for writing would make its exec fail with ETXTBSY). Keeps the sh trampoline when this CPU
   * has no helper or it cannot be written, and says why.
   *
   * @return what the agent should log: which trampoline it uses
   */
  public static String installExecHelper(Path dir) {
    try {
      Optional<Path> helper = ExecHelper.install(dir);
      execHelper = helper.orElse(null);
      return helper
          .map(h -> "trampoline " + h)
          .orElse("trampoline sh (no heddle-exec for this CPU)");
    } catch (java.io.IOException | RuntimeException e) {
      execHelper = null;
      return "trampoline sh (could not install heddle-exec in " + dir + ": " + e + ")";
    }
  }

  /**
   * Resolves executable: a name containing '/' is that path (relative to the agent's working
   * directory); any other name is looked up on the PATH in env, or on the agent's PATH when env has
   * none. Like execvp, PATH entries that hold a non-executable file of that name are skipped. Never
   * blocks for long (file metadata only).
   *
   * @throws SpawnException {@code MISSING_EXECUTABLE} or {@code NOT_EXECUTABLE} (exists but has no
   *     execute permission, or is a directory), naming the path and the PATH searched
   */
  public static Path resolveExecutable(String executable, Map<String, String> env)
      throws SpawnException {
    if (executable.indexOf('\0') >= 0) {
      throw new SpawnException(
          MISSING_EXECUTABLE,
          "Executable '" + SpawnChecks.printable(executable) + "' contains a NUL character.");
    }
    if (executable.contains("/")) {
      Path path = toPath(executable);
      if (!Files.exists(path)) {
        throw new SpawnException(MISSING_EXECUTABLE, "Executable " + path + " does not exist.");
      }
      Optional<String> problem = notExecutable(path);
      if (problem.isPresent()) {
        throw new SpawnException(NOT_EXECUTABLE, "Executable " + path + " " + problem.get() + ".");
      }
      return path.toAbsolutePath();
    }
    String path = env.get("PATH");
    String source = "the PATH in the process's environment";
    if (path == null) {
      path = System.getenv("PATH");
      source = "the agent's PATH, since the process's environment has none";
    }
    if (path == null) {
      path = DEFAULT_PATH;
      source = "a default PATH, since neither the process nor the agent has one";
    }
    @Nullable Path unusable = null;
    @Nullable String unusableWhy = null;
    for (String dir : path.split(":", -1)) {
      if (dir.isEmpty()) {
        continue; // an empty entry would mean "the current directory": never wanted for services
      }
      Path candidate = toPath(dir).resolve(executable);
      if (!Files.exists(candidate)) {
        continue;
      }
      Optional<String> problem = notExecutable(candidate);
      if (problem.isEmpty()) {
        return candidate.toAbsolutePath();
      }
      if (unusable == null) {
        unusable = candidate;
        unusableWhy = problem.get();
      }
    }
    if (unusable != null) {
      throw new SpawnException(
          NOT_EXECUTABLE,
          "Executable '"
              + executable
              + "' was found on the PATH"
              + " at "
              + unusable
              + ", but it "
              + unusableWhy
              + "; PATH searched: "
              + path
              + " ("
              + source
              + ").");
    }
    throw new SpawnException(
        MISSING_EXECUTABLE,
        "Executable '"
            + executable
            + "' was not found on"
            + " the PATH; PATH searched: "
            + path
            + " ("
            + source
            + ").");
  }

  private static Path toPath(String text) throws SpawnException {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new SpawnException(
          MISSING_EXECUTABLE, "'" + text + "' is not a valid path: " + e.getReason());
    }
  }

  private static Optional<String> notExecutable(Path path) {
    if (Files.isDirectory(path)) {
      return Optional.of("is a directory");
    }
    if (!Files.isExecutable(path)) {
      return Optional.of("exists but is not executable (no execute permission; chmod +x it)");
    }
    return Optional.empty();
  }

  /**
   * Validates spec, then spawns it with posix_spawn, opens a pidfd for the child and reads its
   * identity. Returns only after posix_spawn returned, that is after the child exec'd its program
   * (or, with fds or a cgroup, the trampoline that then execs the program under the same pid:
   * heddle-exec once {@link #installExecHelper} succeeded, otherwise /bin/sh). The caller owns the
   * returned pidfd; the fds in {@code spec.fds()} stay open and owned by the caller. With fds, the
   * child's argv[0] is the resolved executable path.
   *
   * <p>Reaping: the child is this JVM's child; watch it with {@link ExitReactor#watch} (or reap it
   * otherwise), and do so before a concurrent {@link Processes#reapOrphans} can see it (hold the
   * same lock around spawn+watch and reapOrphans).
   *
   * @throws SpawnException with a kind and a message naming what was wrong; nothing is left running
   *     and no fd is leaked when it is thrown
   */
  public static Spawned spawn(SpawnSpec spec) throws SpawnException {
    Path program = check(spec);
    Path cwd = spec.cwd();
    Path cgroup = spec.cgroupDir();
    boolean trampoline = !spec.fds().isEmpty() || cgroup != null;
    List<String> envp = environment(spec);
    Path helper = execHelper;
    if (trampoline && helper != null) {
      List<String> argv = helperArgv(helper, spec, program, spec.fds().isEmpty() ? "0" : "1");
      try {
        return open(spawnWithCopies(spec, helper.toString(), argv, envp, cwd, -1), program);
      } catch (SpawnException e) {
        if (e.kind() != SPAWN_FAILED) {
          throw e;
        }
        if (!Files.isExecutable(helper)) {
          execHelper = null; // removed, or a noexec mount: sh from now on
        }
        // and this once through sh, which reports the error again if it is not the helper's
      }
    }
    List<String> argv = new ArrayList<>();
    String path;
    if (trampoline) {
      path = SH;
      argv.addAll(
          List.of("sh", "-c", trampolineScript(!spec.fds().isEmpty(), cgroup), program.toString()));
    } else {
      path = program.toString();
      argv.add(spec.executable());
    }
    argv.addAll(spec.args());
    int pid = spawnWithCopies(spec, path, argv, envp, cwd, -1);
    return open(pid, program);
  }

  /** Whether {@link #spawnSpare} can work here: it needs heddle-exec. */
  public static boolean sparesSupported() {
    return execHelper != null;
  }

  /**
   * Spawns spec as a {@link Spare}: heddle-exec, which joins the cgroup and then waits for {@link
   * Spare#go()} before it execs the program. Checks spec exactly as {@link #spawn} does. The caller
   * owns the spare's pidfd and must watch (reap) it like any child.
   *
   * @throws SpawnException as {@link #spawn}, or {@code SPAWN_FAILED} when heddle-exec is not in
   *     use (the sh trampoline cannot wait)
   */
  public static Spare spawnSpare(SpawnSpec spec) throws SpawnException {
    Path program = check(spec);
    Path helper = execHelper;
    if (helper == null) {
      throw new SpawnException(SPAWN_FAILED, "spares need heddle-exec, which is not in use here");
    }
    int[] pipe = pipe();
    int goFd = 3 + spec.fds().size();
    String flags = (spec.fds().isEmpty() ? "0" : "1") + "w" + goFd;
    try {
      List<String> argv = helperArgv(helper, spec, program, flags);
      Spawned spawned =
          open(
              spawnWithCopies(
                  spec, helper.toString(), argv, environment(spec), spec.cwd(), pipe[0]),
              program);
      Fds.close(pipe[0]);
      return new Spare(spawned, program, pipe[1]);
    } catch (SpawnException | RuntimeException e) {
      Fds.close(pipe[0]);
      Fds.close(pipe[1]);
      throw e;
    }
  }

  private static List<String> helperArgv(Path helper, SpawnSpec spec, Path program, String flags) {
    Path cgroup = spec.cgroupDir();
    List<String> argv = new ArrayList<>();
    argv.add(helper.toString());
    argv.add(cgroup == null ? "" : cgroup.toString());
    argv.add(flags);
    argv.add(program.toString());
    argv.addAll(spec.args());
    return argv;
  }

  /** A pipe with both ends O_CLOEXEC: {read, write}. */
  private static int[] pipe() throws SpawnException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(Libc.INT, 2);
      long rc = Libc.syscall(SYS_PIPE2, fds.address(), O_CLOEXEC, 0, 0);
      if (rc < 0) {
        throw new SpawnException(
            SPAWN_FAILED,
            "Could not create a pipe for a spare: "
                + new OsException("pipe2", "O_CLOEXEC", (int) -rc).getMessage());
      }
      return new int[] {fds.getAtIndex(Libc.INT, 0), fds.getAtIndex(Libc.INT, 1)};
    }
  }

  /** Validates spec; returns the resolved program. */
  private static Path check(SpawnSpec spec) throws SpawnException {
    SpawnChecks.command(spec.executable(), spec.args());
    Path cwd = spec.cwd();
    if (cwd != null) {
      SpawnChecks.cwd(cwd);
    }
    SpawnChecks.env(spec.env());
    String executable = spec.executable();
    if (cwd != null && executable.contains("/") && !executable.startsWith("/")) {
      executable = cwd.resolve(executable).toString(); // the child would resolve it after chdir
    }
    Path program = resolveExecutable(executable, spec.env());
    SpawnChecks.fds(spec.fds());
    SpawnChecks.log("stdout", spec.stdout());
    SpawnChecks.log("stderr", spec.stderr());
    Path cgroup = spec.cgroupDir();
    if (cgroup != null) {
      SpawnChecks.cgroup(cgroup);
    }
    return program;
  }

  /**
   * posix_spawn with spec's fds at 3, 4, ... and, when {@code extraFd >= 0}, that fd after them.
   */
  private static int spawnWithCopies(
      SpawnSpec spec,
      String path,
      List<String> argv,
      List<String> envp,
      @Nullable Path cwd,
      int extraFd)
      throws SpawnException {
    int passed = spec.fds().size();
    int n = passed + (extraFd >= 0 ? 1 : 0);
    int[] copies = new int[n];
    Arrays.fill(copies, -1);
    try {
      for (int i = 0; i < passed; i++) {
        copies[i] = highCopy(spec.fds().get(i), n);
      }
      if (extraFd >= 0) {
        copies[passed] = highCopy(new PassedFd(extraFd, "spare"), n);
      }
      return PosixSpawn.spawn(
          path,
          argv,
          envp,
          cwd == null ? null : cwd.toAbsolutePath().toString(),
          copies,
          spec.stdout().toAbsolutePath().toString(),
          spec.stderr().toAbsolutePath().toString());
    } catch (OsException e) {
      throw new SpawnException(SPAWN_FAILED, "Could not start " + path + ": " + e.getMessage(), e);
    } finally {
      for (int copy : copies) {
        Fds.close(copy);
      }
    }
  }

  /**
   * A CLOEXEC copy of the fd above every dup2 target (3 .. 3+n-1), so no dup2 clobbers a source.
   */
  private static int highCopy(PassedFd passed, int n) throws SpawnException {
    int copy = Libc.fcntl(passed.fd(), Libc.F_DUPFD_CLOEXEC, Math.max(HIGH_FD, 3 + n));
    if (copy == -Errno.EINVAL) { // RLIMIT_NOFILE below 1000: any number above the targets will do
      copy = Libc.fcntl(passed.fd(), Libc.F_DUPFD_CLOEXEC, 3 + n);
    }
    if (copy < 0) {
      throw new SpawnException(
          copy == -Errno.EBADF ? SpawnException.Kind.CLOSED_FD : SPAWN_FAILED,
          "Could not duplicate passed fd "
              + passed.fd()
              + " ('"
              + passed.name()
              + "'): "
              + new OsException("fcntl", passed.fd() + ", F_DUPFD_CLOEXEC", -copy).getMessage());
    }
    return copy;
  }

  /** {@code exec "$0" "$@"} keeps the pid, so $$ is the program's pid and no fork escapes. */
  static String trampolineScript(boolean listenPid, @Nullable Path cgroupDir) {
    StringBuilder script = new StringBuilder();
    if (cgroupDir != null) {
      String procs = shellQuote(cgroupDir.resolve("cgroup.procs").toString());
      script
          .append("echo $$ > ")
          .append(procs)
          .append(" || { printf 'heddle: could not join cgroup %s;" + " not starting %s\\n' ")
          .append(shellQuote(cgroupDir.toString()))
          .append(" \"$0\" >&2; exit 125; }; ");
    }
    if (listenPid) {
      script.append("LISTEN_PID=$$; export LISTEN_PID; ");
    }
    return script.append("exec \"$0\" \"$@\"").toString();
  }

  static String shellQuote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static List<String> environment(SpawnSpec spec) {
    List<String> envp = new ArrayList<>();
    boolean listen = !spec.fds().isEmpty();
    spec.env()
        .forEach(
            (name, value) -> {
              if (!listen || !LISTEN_VARS.contains(name)) {
                envp.add(name + "=" + value);
              }
            });
    if (listen) {
      envp.add("LISTEN_FDS=" + spec.fds().size());
      envp.add(
          "LISTEN_FDNAMES="
              + spec.fds().stream().map(PassedFd::name).collect(Collectors.joining(":")));
    }
    return envp;
  }

  /**
   * pidfd_open and identity; on failure the child is killed and reaped, so nothing is left behind.
   */
  private static Spawned open(int pid, Path program) throws SpawnException {
    long pidfd = Libc.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0, 0);
    if (pidfd < 0) {
      killAndReap(pid);
      throw new SpawnException(
          SPAWN_FAILED,
          "Started "
              + program
              + " as pid "
              + pid
              + " but could not"
              + " watch it (killed it): "
              + new OsException("pidfd_open", Integer.toString(pid), (int) -pidfd).getMessage()
              + ". Heddle needs Linux 5.3 or newer.");
    }
    Optional<ProcessIdentity> identity = ProcessIdentity.read(pid, (int) pidfd);
    if (identity.isEmpty()) {
      Fds.close((int) pidfd);
      killAndReap(pid);
      throw new SpawnException(
          SPAWN_FAILED,
          "Started "
              + program
              + " as pid "
              + pid
              + " but could not read /proc/"
              + pid
              + "/stat (killed it).");
    }
    return new Spawned(pid, (int) pidfd, identity.get());
  }

  private static void killAndReap(int pid) {
    Libc.kill(pid, Signals.KILL);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment siginfo = arena.allocate(128, 8);
      Libc.waitid(P_PID, pid, siginfo, ExitReactor.WEXITED); // brief: SIGKILL cannot be ignored
    }
  }
}
