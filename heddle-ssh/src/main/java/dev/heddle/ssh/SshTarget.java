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
  private final String user;
  private final String host;
  private final int port;
  private final @Nullable Path identity;
  private final Path knownHosts;
  private final Duration connectTimeout;
  private final String java;
  private final @Nullable String stateDir;
  private final Duration reconnectGrace;
  private final @Nullable String storeDir;

  private SshTarget(
      String user,
      String host,
      int port,
      @Nullable Path identity,
      Path knownHosts,
      Duration connectTimeout,
      String java,
      @Nullable String stateDir,
      Duration reconnectGrace,
      @Nullable String storeDir) {
    this.user = user;
    this.host = host;
    this.port = port;
    this.identity = identity;
    this.knownHosts = knownHosts;
    this.connectTimeout = connectTimeout;
    this.java = java;
    this.stateDir = stateDir;
    this.reconnectGrace = reconnectGrace;
    this.storeDir = storeDir;
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
    return new SshTarget(
        user,
        rest,
        port,
        null,
        home.resolve(".ssh/known_hosts"),
        Duration.ofSeconds(10),
        "java",
        null,
        Duration.ofSeconds(30),
        null);
  }

  /** The private key file to authenticate with (ed25519 or RSA, unencrypted). */
  public SshTarget identity(Path privateKey) {
    return new SshTarget(
        user,
        host,
        port,
        Objects.requireNonNull(privateKey),
        knownHosts,
        connectTimeout,
        java,
        stateDir,
        reconnectGrace,
        storeDir);
  }

  /** The known_hosts file the host key must be in. */
  public SshTarget knownHosts(Path file) {
    return new SshTarget(
        user,
        host,
        port,
        identity,
        Objects.requireNonNull(file),
        connectTimeout,
        java,
        stateDir,
        reconnectGrace,
        storeDir);
  }

  /** How long connecting (TCP, key exchange and authentication) may take; default 10 s. */
  public SshTarget connectTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
    }
    return new SshTarget(
        user, host, port, identity, knownHosts, timeout, java, stateDir, reconnectGrace, storeDir);
  }

  /**
   * The Java 25 (or later) on the remote host that runs the agent: a path, or a name looked up on
   * the remote login's PATH; default {@code java}.
   */
  public SshTarget java(String javaOnHost) {
    if (javaOnHost.isBlank()) {
      throw new IllegalArgumentException("the remote java must be a path or a name, got blank");
    }
    return new SshTarget(
        user,
        host,
        port,
        identity,
        knownHosts,
        connectTimeout,
        javaOnHost,
        stateDir,
        reconnectGrace,
        storeDir);
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
    return new SshTarget(
        user,
        host,
        port,
        identity,
        knownHosts,
        connectTimeout,
        java,
        dirOnHost,
        reconnectGrace,
        storeDir);
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
    return new SshTarget(
        user, host, port, identity, knownHosts, connectTimeout, java, stateDir, grace, storeDir);
  }

  /**
   * Where {@code Host.deploy} keeps artifacts on the remote host: an absolute path, or one relative
   * to the remote home. Default {@code ~/.cache/heddle/store}.
   */
  public SshTarget storeDir(String dirOnHost) {
    if (dirOnHost.isBlank()) {
      throw new IllegalArgumentException("the remote store directory must not be blank");
    }
    return new SshTarget(
        user,
        host,
        port,
        identity,
        knownHosts,
        connectTimeout,
        java,
        stateDir,
        reconnectGrace,
        dirOnHost);
  }

  public @Nullable String storeDir() {
    return storeDir;
  }

  public Duration reconnectGrace() {
    return reconnectGrace;
  }

  public String user() {
    return user;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public @Nullable Path identity() {
    return identity;
  }

  public Path knownHosts() {
    return knownHosts;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public String java() {
    return java;
  }

  public @Nullable String stateDir() {
    return stateDir;
  }

  @Override
  public String toString() {
    return user + "@" + host + (port == 22 ? "" : ":" + port);
  }
}
