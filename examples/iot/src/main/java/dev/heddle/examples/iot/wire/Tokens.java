package dev.heddle.examples.iot.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens: {@code base64url(user) "." expiry "." base64url(HMAC-SHA256(key, base64url(user)
 * "." expiry))}, expiry in seconds since the epoch. The auth service signs; every other service
 * verifies with the same key, read from a file whose path (never the key) is a process argument.
 * Immutable and thread-safe.
 */
public final class Tokens {
  /** What a user id may be: it goes into Redis keys and JSON without escaping. */
  public static final Pattern USER = Pattern.compile("[a-z0-9_-]{1,32}");

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private final byte[] key;

  private Tokens(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          "the token key must be at least 16 bytes, is " + key.length);
    }
    this.key = key.clone();
  }

  /** Tokens signed with {@code key}. */
  public static Tokens withKey(byte[] key) {
    return new Tokens(key);
  }

  /**
   * Tokens signed with the key in {@code keyFile} (its text, base64, as {@code bin/iot} writes it).
   *
   * @throws IOException when it cannot be read or is not base64 of at least 16 bytes
   */
  public static Tokens fromFile(Path keyFile) throws IOException {
    String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
    try {
      return new Tokens(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IOException("the key file " + keyFile + " is not base64 of at least 16 bytes", e);
    }
  }

  /** A token for {@code user} valid until {@code expiry}. */
  public String sign(String user, Instant expiry) {
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("bad user id '" + user + "': want " + USER.pattern());
    }
    String body =
        B64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "." + expiry.getEpochSecond();
    return body + "." + B64.encodeToString(mac(body));
  }

  /**
   * The user {@code token} names, when it was signed with this key and has not expired at {@code
   * now}.
   *
   * @throws InvalidToken saying why not (malformed, bad signature, expired)
   */
  public String verify(String token, Instant now) throws InvalidToken {
    String[] parts = token.split("\\.", 4);
    if (parts.length != 3 || token.length() > 512) {
      throw new InvalidToken("malformed token");
    }
    byte[] given;
    long expiry;
    String user;
    try {
      given = B64D.decode(parts[2]);
      expiry = Long.parseLong(parts[1]);
      user = new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidToken("malformed token");
    }
    if (!MessageDigest.isEqual(mac(parts[0] + "." + parts[1]), given)) {
      throw new InvalidToken("bad token signature");
    }
    if (now.getEpochSecond() >= expiry) {
      throw new InvalidToken("token expired at " + Instant.ofEpochSecond(expiry));
    }
    if (!USER.matcher(user).matches()) {
      throw new InvalidToken("malformed token");
    }
    return user;
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /** A token that is not accepted; the message says why, without echoing the token. */
  public static final class InvalidToken extends Exception {
    public InvalidToken(String why) {
      super(why);
    }
  }
}
