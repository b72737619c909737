package dev.heddle.ssh.internal;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.internal.agent.AgentConnection;
import dev.heddle.internal.agent.AgentHost;
import dev.heddle.internal.agent.AgentJar;
import dev.heddle.ssh.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * Bootstraps a host's agent over SSH and returns it as a {@link Host}: connect (strict host key),
 * check the remote Java, upload the agent jar by SFTP (skipped when present), then run {@code java
 * … AgentMain --stdio} over an exec channel whose stdin and stdout carry the agent protocol. The
 * agent is in session mode: when the channel or the session drops, it stops every service and
 * exits. Closing the returned host shuts the agent down, waits for it to exit, and closes the
 * channel, the session and the MINA client.
 */
public final class RemoteAgent {
  /** How long close() waits for the agent to stop its services and exit before dropping it. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  private RemoteAgent() {}

  /** Connects and starts the agent. Blocks until its hello is answered. */
  public static Host connect(SshTarget target) {
    return connect(target, false);
  }

  /**
   * Connects to the handover-mode agent of the target's state directory through {@code
   * AgentBridge}, which starts that agent when none runs there. Blocks until its hello is answered.
   */
  public static Host connectHandover(SshTarget target) {
    if (target.stateDir() == null) {
      throw new HeddleException(
          target.host(),
          null,
          "ssh-handover-needs-state-dir",
          "Handover mode on "
              + target
              + " needs a fixed state directory (SshTarget.stateDir(...)): the next program finds"
              + " the running agent, and the services it keeps, there.");
    }
    return connect(target, true);
  }

  private static Host connect(SshTarget target, boolean handover) {
    SshTransport ssh = SshTransport.open(target);
    try {
      return start(ssh, handover);
    } catch (RuntimeException e) {
      ssh.close();
      throw e;
    }
  }

  private static Host start(SshTransport ssh, boolean handover) {
    SshTarget target = ssh.target();
    String label = target.host();
    String java = target.java();
    String home;
    AgentUpload.Placed jar;
    try {
      RemoteJava.check(ssh, java);
      try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(ssh.session())) {
        home = sftp.canonicalPath(".");
        jar = AgentUpload.ensure(sftp, home, AgentJar.current());
      }
    } catch (IOException e) {
      throw new HeddleException(
          label,
          null,
          "ssh-bootstrap",
          "Cannot prepare the agent on " + target + ": " + e.getMessage(),
          e);
    }
    String stateDir = stateDir(target, home);
    Duration grace = target.reconnectGrace();
    boolean bridged = handover || grace.isPositive();
    String command =
        !bridged
            ? command(java, jar.path(), stateDir, label)
            : bridgeCommand(
                java,
                jar.path(),
                stateDir,
                label,
                handover
                    ? List.of()
                    : List.of("--mode", "session", "--grace", Long.toString(grace.toMillis())));
    StderrTail stderr = new StderrTail();
    ChannelExec channel = open(ssh, command, stderr);
    AgentConnection conn = connection(ssh, channel);
    AgentHost.Reconnector reconnector =
        bridged && grace.isPositive() ? () -> reopen(target, command) : null;
    try {
      AgentHost host = new AgentHost(label, Path.of(stateDir), conn, null, reconnector, grace);
      host.storeDir(target.storeDir());
      return host;
    } catch (HeddleException e) {
      conn.close();
      Integer status = channel.getExitStatus();
      throw new HeddleException(
          label,
          null,
          "ssh-agent-start-failed",
          "The agent on "
              + target
              + " did not answer its hello"
              + (status == null ? "" : " (it exited with status " + status + ")")
              + ": "
              + e.getMessage()
              + "\nCommand: "
              + command
              + "\nIts stderr:\n"
              + stderr.lastLines(20),
          e);
    }
  }

  /** Opens an exec channel running command, its stderr kept in stderr. */
  private static ChannelExec open(SshTransport ssh, String command, StderrTail stderr) {
    try {
      ChannelExec channel = ssh.session().createExecChannel(command);
      channel.setErr(stderr); // stdout and stdin stay unset: MINA gives their inverted streams
      channel.open().verify(OPEN_TIMEOUT.toMillis());
      return channel;
    } catch (IOException e) {
      throw new HeddleException(
          ssh.target().host(),
          null,
          "ssh-agent-start-failed",
          "Cannot open the agent's channel on " + ssh.target() + ": " + e.getMessage(),
          e);
    }
  }

  private static AgentConnection connection(SshTransport ssh, ChannelExec channel) {
    InputStream fromAgent = channel.getInvertedOut();
    OutputStream toAgent = channel.getInvertedIn();
    return new AgentConnection(
        ssh.target().host(), fromAgent, toAgent, () -> end(ssh, channel, fromAgent, toAgent));
  }

  /** A new SSH session and bridge to the same agent (its state directory is in command). */
  private static AgentConnection reopen(SshTarget target, String command) {
    SshTransport ssh = SshTransport.open(target);
    try {
      return connection(ssh, open(ssh, command, new StderrTail()));
    } catch (RuntimeException e) {
      ssh.close();
      throw e;
    }
  }

  /**
   * The transport's end, called once by {@link AgentConnection#close()} after the controller sent
   * its shutdown (or lost the agent): waits for the agent to exit (the channel closes when it
   * does), then drops the streams, the channel and the session.
   */
  private static void end(
      SshTransport ssh, ChannelExec channel, InputStream fromAgent, OutputStream toAgent) {
    // End of file first: a stdio agent already shutting down ignores it; a bridge ends on it and
    // leaves a handover agent to its services.
    closeQuietly(toAgent);
    try {
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), EXIT_WAIT.toMillis());
    } finally {
      closeQuietly(fromAgent); // wakes the connection's reader should EOF never come
      channel.close(true);
      ssh.close();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  private static String stateDir(SshTarget target, String home) {
    String dir = target.stateDir();
    if (dir == null) {
      dir =
          AgentUpload.CACHE
              + "/run/"
              + ProcessHandle.current().pid()
              + "-"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
    return dir.startsWith("/") ? dir : home + "/" + dir;
  }

  /**
   * The exec channel's command line in handover mode: the bridge to the agent of stateDir (started
   * by the bridge when none runs there) replaces the login shell.
   */
  static String bridgeCommand(
      String java, String jar, String stateDir, String label, List<String> mode) {
    List<String> words = new ArrayList<>();
    words.add(java);
    words.addAll(AgentJar.stdioJvmFlags());
    words.addAll(
        List.of(
            "-cp",
            jar,
            "dev.heddle.agent.AgentBridge",
            "--state-dir",
            stateDir,
            "--host-label",
            label));
    words.addAll(mode);
    StringBuilder sb = new StringBuilder("exec");
    for (String w : words) {
      sb.append(' ').append(RemoteJava.quote(w));
    }
    return sb.toString();
  }

  /** The exec channel's command line: the agent replaces the login shell ({@code exec}). */
  static String command(String java, String jar, String stateDir, String label) {
    List<String> words = new ArrayList<>();
    words.add(java);
    words.addAll(AgentJar.stdioJvmFlags());
    words.addAll(
        List.of(
            "-cp",
            jar,
            AgentJar.MAIN_CLASS,
            "--stdio",
            "--state-dir",
            stateDir,
            "--host-label",
            label));
    StringBuilder sb = new StringBuilder("exec");
    for (String w : words) {
      sb.append(' ').append(RemoteJava.quote(w));
    }
    return sb.toString();
  }
}
