package dev.heddle.internal.agent;

import dev.heddle.agent.AgentMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The agent's JDK AOT cache (JEP 483): with it the agent JVM starts in about a third of the time,
 * because the FFM linking and class loading of its start-up were done once, ahead of time.
 *
 * <p>One cache file per agent jar, JDK and set of JVM flags, in {@code $XDG_CACHE_HOME/heddle} (or
 * {@code ~/.cache/heddle}; the system property {@code heddle.agent.aotCache} names another
 * directory, or {@code off}). When it is missing, the agent starts without it and, once it is up, a
 * training run (an agent that starts and stops at once, in a scratch state directory) is launched
 * in the background; a shell wrapper renames its output into place only after that JVM wrote it
 * completely and exited, so a reader only ever sees a whole file. One training per key at a time
 * (an exclusive lock file); a failed training is not retried for the same key. The JVM checks the
 * cache itself (JDK, jar size and time, flags) and starts without it, never fails, when it is
 * stale, truncated or missing.
 */
final class AotCacheLauncher {
  private static final Duration STALE_LOCK = Duration.ofMinutes(2);
  private static final Duration OLD_CACHE = Duration.ofDays(7);
  private static final int KEEP = 4;

  private AotCacheLauncher() {}

  /**
   * The JVM flags that use the agent's AOT cache, or none when there is none (yet). Never throws:
   * any problem means no cache.
   */
  static List<String> flags(String java, List<String> jvmFlags, String classpath) {
    Path cache = cacheFile(java, jvmFlags, classpath);
    if (cache == null || !Files.isRegularFile(cache)) {
      return List.of();
    }
    return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
  }

  /**
   * Starts training the cache in the background when it is missing (once per key at a time; never
   * again for a key whose training failed). Call it once the agent is up, so the two JVMs do not
   * compete for the CPU while it starts. Never throws and never waits for the training.
   */
  static void trainIfMissing(String java, List<String> jvmFlags, String classpath) {
    Path cache = cacheFile(java, jvmFlags, classpath);
    if (cache == null || Files.exists(cache)) {
      return;
    }
    try {
      train(cache, java, jvmFlags, Path.of(classpath));
    } catch (IOException | RuntimeException e) {
      // no cache: agents keep starting the slow way
    }
  }

  /** Where the cache for this agent JVM lives, or null when it cannot have one. */
  static @Nullable Path cacheFile(String java, List<String> jvmFlags, String classpath) {
    try {
      Path dir = directory();
      Path jar = Path.of(classpath);
      if (dir == null
          || !classpath.endsWith(".jar")
          || !Files.isRegularFile(jar)
          || jvmFlags.stream().anyMatch(AotCacheLauncher::choosesItsOwnArchive)) {
        return null; // a class directory cannot be cached; -Xshare and AOTCache exclude another
      }
      return dir.resolve("agent-" + key(java, jvmFlags, jar) + ".aot");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean choosesItsOwnArchive(String flag) {
    return flag.startsWith("-Xshare")
        || flag.startsWith("-XX:AOT")
        || flag.startsWith("-XX:SharedArchiveFile")
        || flag.startsWith("-XX:ArchiveClassesAtExit")
        || flag.contains("AutoCreateSharedArchive");
  }

  private static @Nullable Path directory() {
    String setting = System.getProperty("heddle.agent.aotCache", "").strip();
    if (setting.equals("off")) {
      return null;
    }
    if (!setting.isEmpty()) {
      return Path.of(setting);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && xdg.startsWith("/")
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("heddle");
  }

  private static String key(String java, List<String> jvmFlags, Path jar) throws IOException {
    String identity =
        String.join(
            "\0",
            java,
            System.getProperty("java.vm.version", ""),
            String.join(" ", jvmFlags),
            jar.toAbsolutePath().toString(),
            Long.toString(Files.size(jar)),
            Files.getLastModifiedTime(jar).toString());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static void train(Path cache, String java, List<String> jvmFlags, Path jar)
      throws IOException {
    Path dir = Objects.requireNonNull(cache.getParent());
    String key = cache.getFileName().toString().replace("agent-", "").replace(".aot", "");
    Files.createDirectories(dir);
    Path failed = dir.resolve("agent-" + key + ".failed");
    Path lock = dir.resolve("agent-" + key + ".training");
    if (Files.exists(failed) || !claim(lock)) {
      return;
    }
    removeOldCaches(dir);
    Path scratch = Files.createTempDirectory("heddle-aot-training");
    Path temp = dir.resolve("agent-" + key + "." + ProcessHandle.current().pid() + ".tmp");
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/sh");
    cmd.add("-c");
    // "$@" is the training JVM. The rename happens only after it exited successfully, whatever
    // happens to this controller meanwhile; every temporary file goes in either case.
    cmd.add(
        "if \"$@\"; then mv -f \"$TEMP\" \"$CACHE\"; else : > \"$FAILED\"; fi;"
            + " rm -rf \"$TEMP\" \"$TEMP.config\" \"$SCRATCH\" \"$LOCK\"");
    cmd.add("heddle-aot-training");
    cmd.add(java);
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of(
            "-XX:AOTCacheOutput=" + temp,
            "-Dheddle.agent.training=true",
            "-cp",
            jar.toString(),
            AgentMain.class.getName(),
            "--state-dir",
            scratch.toString(),
            "--attach-timeout",
            "0",
            "--containment",
            "process-group"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    var env = pb.environment();
    env.put("TEMP", temp.toString());
    env.put("CACHE", cache.toString());
    env.put("FAILED", failed.toString());
    env.put("SCRATCH", scratch.toString());
    env.put("LOCK", lock.toString());
    try {
      pb.start();
    } catch (IOException e) {
      Files.deleteIfExists(lock);
      throw e;
    }
  }

  /** Creates the lock file; false when another training holds it (a stale one is taken over). */
  private static boolean claim(Path lock) throws IOException {
    try {
      Files.createFile(lock);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      FileTime since = Files.getLastModifiedTime(lock);
      if (since.toInstant().isAfter(Instant.now().minus(STALE_LOCK))) {
        return false;
      }
      Files.deleteIfExists(lock);
      try {
        Files.createFile(lock);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        return false;
      }
    }
  }

  /**
   * Keeps the {@value #KEEP} newest caches younger than a week (each is about 17 MB); removes
   * temporary files of trainings that died, and old failure marks.
   */
  private static void removeOldCaches(Path dir) throws IOException {
    List<Path> caches = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "agent-*.{aot,tmp,failed}")) {
      for (Path p : all) {
        if (p.toString().endsWith(".aot")) {
          caches.add(p);
        } else if (isOlderThan(p, p.toString().endsWith(".tmp") ? STALE_LOCK : OLD_CACHE)) {
          Files.deleteIfExists(p);
        }
      }
    }
    caches.sort(Comparator.comparing(AotCacheLauncher::modified).reversed());
    for (int i = 0; i < caches.size(); i++) {
      if (i >= KEEP || isOlderThan(caches.get(i), OLD_CACHE)) {
        Files.deleteIfExists(caches.get(i));
      }
    }
  }

  private static boolean isOlderThan(Path p, Duration age) {
    return modified(p).toInstant().isBefore(Instant.now().minus(age));
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
