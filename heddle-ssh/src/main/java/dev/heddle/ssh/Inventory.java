package dev.heddle.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names for SSH hosts, so a program can take {@code --hosts h1,h2,h3}: a name listed in the fake
 * hosts' directory of {@code testhosts/up} ({@code $HEDDLE_TESTHOSTS_DIR}, default {@code
 * /var/lib/heddle-testhosts}: its {@code hosts} file, client key and known_hosts) is that fake
 * host, with its artifact store in the host's own directory tree; anything else is an SSH
 * destination {@code [user@]host[:port]} with {@code ~/.ssh/id_ed25519} and {@code
 * ~/.ssh/known_hosts}.
 */
public final class Inventory {
  private final Path testHosts;
  private final Map<String, String> addresses;

  private Inventory(Path testHosts, Map<String, String> addresses) {
    this.testHosts = testHosts;
    this.addresses = addresses;
  }

  /** The inventory of this machine: the fake hosts that are up, if any. */
  public static Inventory load() {
    Path dir =
        Path.of(System.getenv().getOrDefault("HEDDLE_TESTHOSTS_DIR", "/var/lib/heddle-testhosts"));
    Map<String, String> addresses = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("hosts"))) {
        String[] words = line.trim().split("\\s+", -1);
        if (words.length == 2) {
          addresses.put(words[1], words[0]);
        }
      }
    } catch (IOException e) {
      // no fake hosts here: every name is an SSH destination
    }
    return new Inventory(dir, addresses);
  }

  /**
   * The target for {@code name}, running the agent with {@code java} (a path on that host).
   *
   * @throws IllegalArgumentException when name is neither a fake host nor a destination
   */
  public SshTarget target(String name, String java) {
    String address = addresses.get(name);
    if (address == null) {
      if (name.matches("h[0-9]+")) {
        throw new IllegalArgumentException(
            "no fake host '"
                + name
                + "' in "
                + testHosts.resolve("hosts")
                + ": bring the fake hosts up with `testhosts/up N` (as root)");
      }
      Path home = Path.of(System.getProperty("user.home", "/root"));
      SshTarget t = SshTarget.of(name).java(java);
      return Files.exists(home.resolve(".ssh/id_ed25519"))
          ? t.identity(home.resolve(".ssh/id_ed25519"))
          : t.identity(home.resolve(".ssh/id_rsa"));
    }
    return SshTarget.of("root@" + address)
        .identity(testHosts.resolve("id_ed25519"))
        .knownHosts(testHosts.resolve("known_hosts"))
        .java(java)
        .storeDir(testHosts.resolve(name).resolve("home/.cache/heddle/store").toString());
  }

  /** The address of a fake host, or the host part of a destination. */
  public String address(String name) {
    String address = addresses.get(name);
    return address != null ? address : SshTarget.of(name).host();
  }
}
