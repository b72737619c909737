package dev.heddle.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The running system a {@code heddle} command talks to: its name, pid, API address and token, as
 * found in the registry ({@link dev.heddle.console.live.Systems}).
 */
record Target(String system, long pid, String base, String token) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Finds the one running system in {@code dir} (named {@code name}, when not null). Registrations
   * of dead programs are removed, and reported when nothing else runs.
   *
   * @throws Failure with code 1 when none runs or its token cannot be read, 2 when several run and
   *     {@code name} is null
   */
  static Target find(@Nullable String name, Path dir) throws Failure {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      files = List.of();
    }
    List<JsonNode> live = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (Path f : files) {
      JsonNode info;
      try {
        info = JSON.readTree(Files.readString(f));
      } catch (IOException e) {
        continue; // being written, or not ours
      }
      String system = info.path("system").asText();
      if (name != null && !name.equals(system)) {
        continue;
      }
      long pid = info.path("pid").asLong();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        live.add(info);
      } else {
        stale.add("'" + system + "' (pid " + pid + ", " + f + ")");
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // reported below anyway
        }
      }
    }
    if (live.isEmpty()) {
      if (!stale.isEmpty()) {
        throw new Failure(
            1,
            "system "
                + String.join(", ", stale)
                + " is not running: its program died without unregistering; removed the stale"
                + " file. Start the system again.");
      }
      throw new Failure(
          1,
          (name == null ? "no Heddle system is running" : "no system '" + name + "' is running")
              + " (looked in "
              + dir
              + "). Start one, e.g. bin/orders.");
    }
    if (live.size() > 1) {
      throw new Failure(
          2,
          "several systems run: "
              + String.join(
                  ", ",
                  live.stream()
                      .map(i -> i.path("system").asText() + " (pid " + i.path("pid").asLong() + ")")
                      .toList())
              + "; pick one with --system NAME");
    }
    JsonNode info = live.getFirst();
    Path tokenFile = Path.of(info.path("tokenFile").asText());
    String token;
    try {
      token = Files.readString(tokenFile).trim();
    } catch (IOException e) {
      throw new Failure(
          1,
          "cannot read the token of system '"
              + info.path("system").asText()
              + "' at "
              + tokenFile
              + " ("
              + e
              + "); run as the user that started it");
    }
    String address = info.path("address").asText();
    String host = address.contains(":") ? "[" + address + "]" : address;
    return new Target(
        info.path("system").asText(),
        info.path("pid").asLong(),
        "http://" + host + ":" + info.path("port").asInt(),
        token);
  }
}
