package dev.heddle.examples.orders;

import dev.heddle.Artifact;
import dev.heddle.Command;
import dev.heddle.DeployProgress;
import dev.heddle.Host;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command that runs one of this module's service mains in its own JVM: the same {@code java} as
 * this program, and a classpath of exactly what the services need (this module's classes and
 * sqlite-jdbc), found from where those classes were loaded. That works the same from {@code
 * bin/orders}, from Maven's test runner (whose {@code java.class.path} may be a single manifest
 * jar) and from an IDE. The system property {@code orders.classpath} overrides it.
 */
final class JavaCommand {
  private JavaCommand() {}

  /** Where {@link #deployTo} put the classpath, by host name; a host not here uses this one's. */
  private static final Map<String, String> DEPLOYED = new ConcurrentHashMap<>();

  /**
   * Deploys the services' classpath (this module's classes as a tree, sqlite-jdbc as a file) to
   * each host's content-addressed store; commands for those hosts then use the deployed copy.
   * Blocks; unchanged content is not sent again.
   */
  static void deployTo(List<? extends Host> hosts, DeployProgress progress) {
    List<Artifact> artifacts = new ArrayList<>();
    for (String entry : classpath().split(File.pathSeparator, -1)) {
      artifacts.add(Artifact.of(Path.of(entry)));
    }
    Host.deployEverywhere(hosts, artifacts, progress)
        .forEach(
            (host, paths) ->
                DEPLOYED.put(
                    host.name(),
                    String.join(File.pathSeparator, paths.stream().map(Path::toString).toList())));
  }

  /**
   * {@code java [flags] -cp <classpath> <main>} for a service on {@code host} (its deployed
   * classpath when {@link #deployTo} put one there), with SQLite's native library extracted under
   * {@code nativeDir} (not /tmp, which may be noexec or shared). The hosts run the same java path
   * as this program.
   */
  static Command of(Host host, Class<?> main, Path nativeDir) {
    return Command.of(javaBinary())
        .args(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xmx128m",
            "-Xshare:auto",
            "-Dorg.sqlite.tmpdir=" + nativeDir,
            "-cp",
            DEPLOYED.getOrDefault(host.name(), classpath()),
            main.getName());
  }

  /** The java of this JVM. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This module's classes plus sqlite-jdbc, as a path list. */
  static String classpath() {
    String override = System.getProperty("orders.classpath");
    if (override != null) {
      return override;
    }
    Set<String> entries = new LinkedHashSet<>();
    entries.add(locationOf(JavaCommand.class));
    entries.add(locationOf(org.sqlite.JDBC.class));
    return String.join(File.pathSeparator, entries);
  }

  private static String locationOf(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException(
          "cannot tell where " + c.getName() + " was loaded from; set -Dorders.classpath");
    }
    try {
      return Path.of(source.getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("odd code source " + source.getLocation(), e);
    }
  }
}
