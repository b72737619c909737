package dev.heddle.examples.iot.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The users file: one line per user, {@code user:salt:sha256(salt || password)} (hex). Plain
 * SHA-256 is enough for a demo platform; a real one would use a slow hash (PBKDF2, scrypt).
 */
public final class Users {
  private final Map<String, String[]> entries;

  private Users(Map<String, String[]> entries) {
    this.entries = entries;
  }

  /** Reads {@code file}. */
  public static Users read(Path file) throws IOException {
    Map<String, String[]> m = new TreeMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.strip().split(":", 3);
      if (parts.length == 3) {
        m.put(parts[0], new String[] {parts[1], parts[2]});
      }
    }
    return new Users(m);
  }

  /** Whether {@code password} is {@code user}'s (in constant time for known users). */
  public boolean check(String user, String password) {
    String[] e = entries.get(user);
    if (e == null) {
      return false;
    }
    byte[] want = HexFormat.of().parseHex(e[1]);
    return MessageDigest.isEqual(want, hash(HexFormat.of().parseHex(e[0]), password));
  }

  /** The line for {@code user} with {@code password} and a fresh salt. */
  public static String line(String user, String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return user
        + ":"
        + HexFormat.of().formatHex(salt)
        + ":"
        + HexFormat.of().formatHex(hash(salt, password));
  }

  /** Writes a users file with these {@code user → password} pairs (mode 0600). */
  public static void write(Path file, Map<String, String> passwords) throws IOException {
    List<String> lines =
        passwords.entrySet().stream().map(e -> line(e.getKey(), e.getValue())).toList();
    Files.deleteIfExists(file);
    Files.createFile(
        file,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static byte[] hash(byte[] salt, String password) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt);
      return d.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
