package dev.heddle.ssh.internal;

import dev.heddle.HeddleException;
import dev.heddle.ssh.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.jspecify.annotations.Nullable;

/**
 * One authenticated SSH session to a target, over its own MINA client. Opening it checks the host
 * key strictly ({@link KnownHosts}) and authenticates with the target's key only (no passwords, no
 * agent). Close it to end the session and the client.
 */
public final class SshTransport implements AutoCloseable {
  private final SshTarget target;
  private final SshClient client;
  private final ClientSession session;

  private SshTransport(SshTarget target, SshClient client, ClientSession session) {
    this.target = target;
    this.client = client;
    this.session = session;
  }

  /**
   * AES first: the JDK runs AES-GCM and AES-CTR on the CPU's AES instructions, where MINA's
   * ChaCha20-Poly1305 (OpenSSH's first choice) is plain Java, four times slower on a deploy.
   */
  private static final List<NamedFactory<Cipher>> CIPHERS =
      List.of(
          BuiltinCiphers.aes128gcm,
          BuiltinCiphers.aes256gcm,
          BuiltinCiphers.aes128ctr,
          BuiltinCiphers.aes256ctr,
          BuiltinCiphers.cc20p1305_openssh);

  /** Connects, checks the host key and authenticates, all within the target's connect timeout. */
  public static SshTransport open(SshTarget target) {
    Path identity = target.identity();
    if (identity == null) {
      throw new HeddleException(
          target.host(),
          null,
          "ssh-no-identity",
          "no private key given for " + target + ": use SshTarget.identity(path)");
    }
    if (!Files.isReadable(identity)) {
      throw new HeddleException(
          target.host(),
          null,
          "ssh-no-identity",
          "private key " + identity + " for " + target + " does not exist or is not readable");
    }
    KnownHosts knownHosts = new KnownHosts(target.knownHosts(), target.host(), target.port());
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(knownHosts);
    client.setKeyIdentityProvider(new FileKeyPairProvider(identity));
    client.setUserInteraction(null);
    client.setCipherFactories(CIPHERS);
    client.start();
    long deadline = System.nanoTime() + target.connectTimeout().toNanos();
    @Nullable ClientSession session = null;
    try {
      session =
          client
              .connect(target.user(), target.host(), target.port())
              .verify(target.connectTimeout().toMillis())
              .getSession();
      session.auth().verify(Math.max(1, remainingMillis(deadline)));
      return new SshTransport(target, client, session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session, client);
      HeddleException refused = knownHosts.refusal();
      if (refused != null) {
        throw refused;
      }
      if (session == null) {
        throw new HeddleException(
            target.host(),
            null,
            "ssh-unreachable",
            "cannot reach "
                + target
                + " within "
                + target.connectTimeout().toMillis()
                + " ms: "
                + e.getMessage(),
            e);
      }
      throw new HeddleException(
          target.host(),
          null,
          "ssh-auth",
          "SSH to " + target + " failed (key " + identity + "): " + e.getMessage(),
          e);
    }
  }

  private static long remainingMillis(long deadline) {
    return Duration.ofNanos(deadline - System.nanoTime()).toMillis();
  }

  private static void closeQuietly(@Nullable ClientSession session, SshClient client) {
    if (session != null) {
      session.close(true);
    }
    client.stop();
  }

  /** The result of {@link #run}: exit status (or -1 if none), stdout and stderr as UTF-8. */
  public record Result(int status, String out, String err) {}

  /** Runs a command (a shell line) on the host and waits for it to end, at most {@code timeout}. */
  public Result run(String command, Duration timeout) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ChannelExec channel = session.createExecChannel(command);
    try {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(timeout.toMillis());
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
      Integer status = channel.getExitStatus();
      return new Result(
          status == null ? -1 : status,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      channel.close(true);
    }
  }

  /** The authenticated session, for channels of its own (the agent's exec channel, SFTP). */
  ClientSession session() {
    return session;
  }

  public SshTarget target() {
    return target;
  }

  @Override
  public void close() {
    closeQuietly(session, client);
  }
}
