package dev.heddle.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to reach a host over SSH: {@code SshTarget.of("root@10.77.0.2").identity(key)
 * .knownHosts(file)}. Immutable; each method returns a copy. Host keys are always checked strictly
 * against the known_hosts file (default {@code ~/.ssh/known_hosts}); there is no accept-all.
 */
public final class SshTarget {
  /** The settings; each public method changes a copy ({@link #with}). */
  private static final class Fields implements Cloneable {
    String user = "";
    String host = "";
    int port = 22;
    @Nullable Path identity;
    Path knownHosts = Path.of("known_hosts");
    Duration connectTimeout = Duration.ofSeconds(10);
    String java = "java";
    @Nullable String stateDir;
    Duration reconnectGrace = Duration.ofSeconds(30);
    @Nullable String storeDir;

    @Override
    protected Fields clone() {
      try {
        return (Fields) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private final Fields f;

  private SshTarget(Fields f) {
    this.f = f;
  }

  /** A copy of this target with {@code change} applied to its settings. */
  private SshTarget with(java.util.function.Consumer<Fields> change) {
    Fields copy = f.clone();
    change.accept(copy);
    return new SshTarget(copy);
  }

  /** {@code user@host} or {@code user@host:port}; the user defaults to {@code user.name}. */
  public static SshTarget of(String destination) {
    Objects.requireNonNull(destination, "destination");
    String user = System.getProperty("user.name", "root");
    String rest = destination;
    int at = destination.indexOf('@');
    if (at >= 0) {
      user = destination.substring(0, at);
      rest = destination.substring(at + 1);
    }
    int port = 22;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in SSH destination: " + destination, e);
      }
      rest = rest.substring(0, colon);
    }
    if (user.isEmpty() || rest.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "SSH destination must be user@host[:port], got: " + destination);
    }
    Path home = Path.of(System.getProperty("user.home", "/root"));
    Fields f = new Fields();
    f.user = user;
    f.host = rest;
    f.port = port;
    f.knownHosts = home.resolve(".ssh/known_hosts");
    return new SshTarget(f);
  }

  /** The private key file to authenticate with (ed25519 or RSA, unencrypted). */
  public SshTarget identity(Path privateKey) {
    return with(x -> x.identity = Objects.requireNonNull(privateKey));
  }

  /** The known_hosts file the host key must be in. */
  public SshTarget knownHosts(Path file) {
    return with(x -> x.knownHosts = Objects.requireNonNull(file));
  }

  /** How long connecting (TCP, key exchange and authentication) may take; default 10 s. */
  public SshTarget connectTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
    }
    return with(x -> x.connectTimeout = timeout);
  }

  /**
   * The Java 25 (or later) on the remote host that runs the agent: a path, or a name looked up on
   * the remote login's PATH; default {@code java}.
   */
  public SshTarget java(String javaOnHost) {
    if (javaOnHost.isBlank()) {
      throw new IllegalArgumentException("the remote java must be a path or a name, got blank");
    }
    return with(x -> x.java = javaOnHost);
  }

  /**
   * The agent's state directory on the remote host (its lock, state file and the services' logs);
   * an absolute path, or one relative to the remote home. Default: a new directory under {@code
   * ~/.cache/heddle/run/} for each connection. One agent at a time may use a directory.
   */
  public SshTarget stateDir(String dirOnHost) {
    if (dirOnHost.isBlank()) {
      throw new IllegalArgumentException("the remote state directory must not be blank");
    }
    return with(x -> x.stateDir = dirOnHost);
  }

  /**
   * Session mode: how long the remote services outlive a dropped SSH connection while the
   * controller reconnects (default 30 s; it retries with backoff, 100 ms doubling to 2 s). The
   * agent then runs behind a bridge (two JVMs on the host instead of one); with {@link
   * Duration#ZERO} the agent runs on the exec channel itself and a dropped connection stops the
   * services at once.
   */
  public SshTarget reconnectGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("reconnect grace must not be negative: " + grace);
    }
    return with(x -> x.reconnectGrace = grace);
  }

  /**
   * Where {@code Host.deploy} keeps artifacts on the remote host: an absolute path, or one relative
   * to the remote home. Default {@code ~/.cache/heddle/store}.
   */
  public SshTarget storeDir(String dirOnHost) {
    if (dirOnHost.isBlank()) {
      throw new IllegalArgumentException("the remote store directory must not be blank");
    }
    return with(x -> x.storeDir = dirOnHost);
  }

  public @Nullable String storeDir() {
    return f.storeDir;
  }

  public Duration reconnectGrace() {
    return f.reconnectGrace;
  }

  public String user() {
    return f.user;
  }

  public String host() {
    return f.host;
  }

  public int port() {
    return f.port;
  }

  public @Nullable Path identity() {
    return f.identity;
  }

  public Path knownHosts() {
    return f.knownHosts;
  }

  public Duration connectTimeout() {
    return f.connectTimeout;
  }

  public String java() {
    return f.java;
  }

  public @Nullable String stateDir() {
    return f.stateDir;
  }

  @Override
  public String toString() {
    return f.user + "@" + f.host + (f.port == 22 ? "" : ":" + f.port);
  }
}
