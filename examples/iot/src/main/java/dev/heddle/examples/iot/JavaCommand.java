package dev.heddle.examples.iot;

import dev.heddle.Command;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The command that runs one of this module's service mains in its own JVM: this JVM's {@code java}
 * and a classpath of exactly what the services need (this module's classes, Jackson, Paho), found
 * from where those classes were loaded, so it works the same from {@code bin/iot}, Maven's test
 * runner and an IDE. The system property {@code iot.classpath} overrides it.
 */
final class JavaCommand {
  private JavaCommand() {}

  /** {@code java [flags] -Xmx<heapMb>m -cp <classpath> <main>}. */
  static Command of(Class<?> main, int heapMb) {
    return Command.of(javaBinary())
        .args(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Xmx" + heapMb + "m",
            "-Xshare:auto",
            "-cp",
            classpath(),
            main.getName());
  }

  /** The java of this JVM. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This module's classes plus Jackson and Paho, as a path list. */
  static String classpath() {
    String override = System.getProperty("iot.classpath");
    if (override != null) {
      return override;
    }
    Set<String> entries = new LinkedHashSet<>();
    entries.add(locationOf(JavaCommand.class));
    entries.add(locationOf(com.fasterxml.jackson.databind.ObjectMapper.class));
    entries.add(locationOf(com.fasterxml.jackson.core.JsonFactory.class));
    entries.add(locationOf(com.fasterxml.jackson.annotation.JsonProperty.class));
    entries.add(locationOf(org.eclipse.paho.client.mqttv3.MqttClient.class));
    return String.join(File.pathSeparator, entries);
  }

  private static String locationOf(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException(
          "cannot tell where " + c.getName() + " was loaded from; set -Diot.classpath");
    }
    try {
      return Path.of(source.getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("odd code source " + source.getLocation(), e);
    }
  }
}
