package dev.heddle.examples.iot;

import dev.heddle.examples.iot.auth.Users;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The platform's secrets, as files only their owner can read: the token key (random, 32 bytes) and
 * the users file (salted password hashes). Services get the paths as arguments, never the secrets.
 *
 * @param keyFile the HMAC key, base64
 * @param usersFile the users and their password hashes
 */
public record Secrets(Path keyFile, Path usersFile) {

  /**
   * Writes a fresh key and a users file with {@code passwords} (user → password) under {@code dir}
   * (mode 0600), unless a key is already there (then it is kept, so tokens survive a restart of the
   * program with the same state directory, and the users file is rewritten).
   */
  public static Secrets make(Path dir, Map<String, String> passwords) throws IOException {
    Files.createDirectories(dir);
    Path key = dir.resolve("token.key");
    if (!Files.exists(key)) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          key, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
    }
    Path users = dir.resolve("users");
    Users.write(users, passwords);
    return new Secrets(key, users);
  }

  /** A random password (for demo users): 16 characters of base64url. */
  public static String randomPassword() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
