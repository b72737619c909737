package dev.heddle.ssh;

import dev.heddle.Host;
import dev.heddle.ssh.internal.RemoteAgent;

/**
 * Remote hosts over SSH: {@code Host h1 = SshHosts.connect(SshTarget.of("root@10.77.0.1")
 * .identity(key).knownHosts(file).java("/usr/lib/jvm/jdk-25/bin/java"))}. The returned {@link Host}
 * offers exactly what {@link Host#local()} offers; every operation runs in that host's agent.
 */
public final class SshHosts {
  private SshHosts() {}

  /**
   * Connects to {@code target}, checks its host key strictly against the target's known_hosts,
   * checks that its Java is 25 or later, uploads the agent jar by SFTP to {@code
   * ~/.cache/heddle/agent-<sha256>.jar} unless a file of that name and size is there, and starts
   * the agent over an SSH exec channel in session mode: if the connection drops, the agent stops
   * every process it started and exits. Blocks until the agent answers. The caller closes the
   * returned host: that stops every process started through it, the agent, the SSH session and its
   * threads.
   *
   * @throws dev.heddle.HeddleException with code {@code ssh-host-key-unknown} or {@code
   *     ssh-host-key-changed} (the message gives the fingerprint and what to run), {@code
   *     ssh-unreachable}, {@code ssh-auth}, {@code ssh-no-identity}, {@code ssh-no-java} or {@code
   *     ssh-old-java} (naming what was found), {@code ssh-bootstrap} (SFTP failed) or {@code
   *     ssh-agent-start-failed} (with the agent's stderr)
   */
  public static Host connect(SshTarget target) {
    return RemoteAgent.connect(target);
  }

  /**
   * As {@link #connect}, but in handover mode, on the target's fixed state directory ({@link
   * SshTarget#stateDir}): the exec channel runs a bridge to that directory's agent, starting the
   * agent in handover mode when none runs there. When this program ends or dies, or the SSH
   * connection drops, the agent keeps its services and listening sockets and the events meanwhile;
   * the next program connecting the same way attaches and adopts them ({@code Host.adopt}, as with
   * {@code Host.localHandover}). Closing the host detaches while services run, and shuts the agent
   * down when none do.
   *
   * @throws dev.heddle.HeddleException as {@link #connect}, and {@code
   *     ssh-handover-needs-state-dir} when the target has no fixed state directory
   */
  public static Host connectHandover(SshTarget target) {
    return RemoteAgent.connectHandover(target);
  }
}
