package dev.heddle.agent.internal.os;

import static dev.heddle.agent.internal.os.Libc.ADDR;
import static dev.heddle.agent.internal.os.Libc.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The raw posix_spawn call with Heddle's fixed file actions and attributes. All posix_spawn
 * functions return their error number instead of setting errno. posix_spawn returns once the child
 * has exec'd (or failed to); glibc reports exec failures synchronously.
 */
final class PosixSpawn {
  private static final int FILE_ACTIONS_SIZE = 80;
  private static final int ATTR_SIZE = 336;
  private static final int SIGSET_SIZE = 128;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_NOCTTY = 0400;
  private static final int O_APPEND = 02000;
  private static final int LOG_MODE = 0644;
  private static final long INTERNAL_SIGNALS = 0b11L << 31; // signals 32 and 33 are bits 31 and 32

  private static final MethodHandle FA_INIT = call("posix_spawn_file_actions_init", ADDR);
  private static final MethodHandle FA_DESTROY = call("posix_spawn_file_actions_destroy", ADDR);
  private static final MethodHandle FA_ADDOPEN =
      call("posix_spawn_file_actions_addopen", ADDR, INT, ADDR, INT, INT);
  private static final MethodHandle FA_ADDDUP2 =
      call("posix_spawn_file_actions_adddup2", ADDR, INT, INT);
  private static final MethodHandle FA_ADDCHDIR =
      call("posix_spawn_file_actions_addchdir_np", ADDR, ADDR);
  private static final MethodHandle FA_ADDCLOSEFROM =
      call("posix_spawn_file_actions_addclosefrom_np", ADDR, INT);
  private static final MethodHandle ATTR_INIT = call("posix_spawnattr_init", ADDR);
  private static final MethodHandle ATTR_DESTROY = call("posix_spawnattr_destroy", ADDR);
  private static final MethodHandle ATTR_SETFLAGS =
      call("posix_spawnattr_setflags", ADDR, ValueLayout.JAVA_SHORT);
  private static final MethodHandle ATTR_SETSIGMASK =
      call("posix_spawnattr_setsigmask", ADDR, ADDR);
  private static final MethodHandle ATTR_SETSIGDEFAULT =
      call("posix_spawnattr_setsigdefault", ADDR, ADDR);
  private static final MethodHandle SIGEMPTYSET = call("sigemptyset", ADDR);
  private static final MethodHandle SIGFILLSET = call("sigfillset", ADDR);
  private static final MethodHandle POSIX_SPAWN =
      call("posix_spawn", ADDR, ADDR, ADDR, ADDR, ADDR, ADDR);

  private PosixSpawn() {}

  private static MethodHandle call(String name, ValueLayout... args) {
    return Libc.plainCall(name, FunctionDescriptor.of(INT, args));
  }

  /**
   * Spawns path in a new session with stdin from /dev/null, stdout and stderr appended to files,
   * {@code passSources[i]} dup'ed to {@code 3 + i} and every other fd closed. Signal mask empty,
   * every signal at its default disposition.
   *
   * @param passSources fds numbered at least {@code 3 + passSources.length}, so no dup2 clobbers
   *     one
   * @return the child's pid
   * @throws OsException when a file action cannot be added or posix_spawn fails
   */
  static int spawn(
      String path,
      List<String> argv,
      List<String> envp,
      @Nullable String cwd,
      int[] passSources,
      String stdout,
      String stderr)
      throws OsException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fa = arena.allocate(FILE_ACTIONS_SIZE, 8);
      MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
      check("posix_spawn_file_actions_init", path, (int) FA_INIT.invokeExact(fa));
      try {
        check("posix_spawnattr_init", path, (int) ATTR_INIT.invokeExact(attr));
        try {
          addFileActions(arena, fa, cwd, passSources, stdout, stderr);
          setAttributes(arena, attr);
          MemorySegment pid = arena.allocate(INT);
          int rc =
              (int)
                  POSIX_SPAWN.invokeExact(
                      pid,
                      arena.allocateFrom(path),
                      fa,
                      attr,
                      stringArray(arena, argv),
                      stringArray(arena, envp));
          check("posix_spawn", path, rc);
          return pid.get(INT, 0);
        } finally {
          int ignored = (int) ATTR_DESTROY.invokeExact(attr);
        }
      } finally {
        int ignored = (int) FA_DESTROY.invokeExact(fa);
      }
    } catch (OsException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }

  private static void addFileActions(
      Arena arena,
      MemorySegment fa,
      @Nullable String cwd,
      int[] passSources,
      String stdout,
      String stderr)
      throws Throwable {
    int logFlags = O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY;
    check(
        "posix_spawn_file_actions_addopen",
        "0, /dev/null",
        (int) FA_ADDOPEN.invokeExact(fa, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0));
    check(
        "posix_spawn_file_actions_addopen",
        "1, " + stdout,
        (int) FA_ADDOPEN.invokeExact(fa, 1, arena.allocateFrom(stdout), logFlags, LOG_MODE));
    check(
        "posix_spawn_file_actions_addopen",
        "2, " + stderr,
        (int) FA_ADDOPEN.invokeExact(fa, 2, arena.allocateFrom(stderr), logFlags, LOG_MODE));
    for (int i = 0; i < passSources.length; i++) {
      // dup2 clears FD_CLOEXEC on the target (glibc >= 2.29 even when source == target).
      check(
          "posix_spawn_file_actions_adddup2",
          passSources[i] + ", " + (3 + i),
          (int) FA_ADDDUP2.invokeExact(fa, passSources[i], 3 + i));
    }
    if (cwd != null) {
      check(
          "posix_spawn_file_actions_addchdir_np",
          cwd,
          (int) FA_ADDCHDIR.invokeExact(fa, arena.allocateFrom(cwd)));
    }
    // Mandatory in a JVM: the JDK opens many fds without O_CLOEXEC (jars, sockets, pipes).
    int from = 3 + passSources.length;
    check(
        "posix_spawn_file_actions_addclosefrom_np",
        Integer.toString(from),
        (int) FA_ADDCLOSEFROM.invokeExact(fa, from));
  }

  private static void setAttributes(Arena arena, MemorySegment attr) throws Throwable {
    MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
    int ignored = (int) SIGEMPTYSET.invokeExact(set);
    check("posix_spawnattr_setsigmask", "empty", (int) ATTR_SETSIGMASK.invokeExact(attr, set));
    ignored = (int) SIGFILLSET.invokeExact(set);
    // glibc's sigfillset leaves out its internal signals 32 and 33, and its posix_spawn then sets
    // them to SIG_IGN in the child, which survives exec. Setting their bits directly resets them
    // too.
    set.set(Libc.LONG, 0, set.get(Libc.LONG, 0) | INTERNAL_SIGNALS);
    check("posix_spawnattr_setsigdefault", "all", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, set));
    short flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    check(
        "posix_spawnattr_setflags",
        "SETSID|SETSIGMASK|SETSIGDEF",
        (int) ATTR_SETFLAGS.invokeExact(attr, flags));
  }

  /** A NULL-terminated char*[] whose strings live in arena. */
  private static MemorySegment stringArray(Arena arena, List<String> strings) {
    MemorySegment array = arena.allocate(ADDR, strings.size() + 1L);
    for (int i = 0; i < strings.size(); i++) {
      array.setAtIndex(ADDR, i, arena.allocateFrom(strings.get(i)));
    }
    array.setAtIndex(ADDR, strings.size(), MemorySegment.NULL);
    return array;
  }

  private static void check(String call, String detail, int rc) throws OsException {
    if (rc != 0) {
      throw new OsException(call, detail, rc);
    }
  }
}
