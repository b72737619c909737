package dev.heddle.ssh.internal;

import dev.heddle.HeddleException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.jspecify.annotations.Nullable;

/**
 * Strict host-key checking against one known_hosts file: the key the server offers must be listed
 * for its name (or {@code [name]:port}). Unknown and changed keys are refused; {@link #refusal()}
 * then says why, with the SHA256 fingerprint and the command that trusts the key. Hashed entries
 * ({@code |1|…}) and markers ({@code @cert-authority}, {@code @revoked}) are not supported and
 * never match.
 */
final class KnownHosts implements ServerKeyVerifier {
  private final Path file;
  private final String host;
  private final int port;
  private final AtomicReference<@Nullable HeddleException> refusal = new AtomicReference<>();

  KnownHosts(Path file, String host, int port) {
    this.file = file;
    this.host = host;
    this.port = port;
  }

  /** Why the last key was refused, or null if none was. */
  @Nullable HeddleException refusal() {
    return refusal.get();
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    String offered = PublicKeyEntry.toString(key);
    String[] offeredParts = offered.split(" ", -1);
    String type = offeredParts[0];
    String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    String name = port == 22 ? host : "[" + host + "]:" + port;
    List<String> listed = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("@") || t.startsWith("|")) {
          continue;
        }
        String[] f = t.split("\\s+", -1);
        if (f.length < 3) {
          continue;
        }
        for (String n : f[0].split(",", -1)) {
          if (n.equals(name)) {
            if (f[1].equals(type) && f[2].equals(offeredParts[1])) {
              return true;
            }
            listed.add(f[1]);
          }
        }
      }
    } catch (NoSuchFileException e) {
      // nothing is known: the key is unknown
    } catch (IOException e) {
      refusal.set(
          new HeddleException(
              host,
              null,
              "ssh-known-hosts",
              "cannot read known_hosts file " + file + " to check the key of " + name + ": " + e,
              e));
      return false;
    }
    String keyscan =
        "ssh-keyscan " + (port == 22 ? "" : "-p " + port + " ") + "-t " + keyscanType(type);
    if (listed.isEmpty()) {
      refusal.set(
          new HeddleException(
              host,
              null,
              "ssh-host-key-unknown",
              "host key of "
                  + name
                  + " is unknown: it offered "
                  + type
                  + " "
                  + fingerprint
                  + ", and "
                  + file
                  + " has no key for "
                  + name
                  + ". If that fingerprint is the host's (check on the host with"
                  + " `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`), trust it with: "
                  + keyscan
                  + " "
                  + host
                  + " >> "
                  + file));
    } else {
      refusal.set(
          new HeddleException(
              host,
              null,
              "ssh-host-key-changed",
              "host key of "
                  + name
                  + " CHANGED: it offered "
                  + type
                  + " "
                  + fingerprint
                  + ", which is not the key "
                  + file
                  + " lists for it ("
                  + String.join(", ", listed)
                  + "). Someone may be intercepting the connection, or the host was reinstalled."
                  + " If the change is expected, remove the old key with: ssh-keygen -f "
                  + file
                  + " -R '"
                  + name
                  + "', then trust the new one with: "
                  + keyscan
                  + " "
                  + host
                  + " >> "
                  + file));
    }
    return false;
  }

  private static String keyscanType(String sshType) {
    return switch (sshType) {
      case "ssh-ed25519" -> "ed25519";
      case "ssh-rsa" -> "rsa";
      default -> sshType.startsWith("ecdsa-") ? "ecdsa" : sshType;
    };
  }
}
