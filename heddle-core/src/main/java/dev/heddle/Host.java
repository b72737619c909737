package dev.heddle;

import dev.heddle.internal.agent.LocalHosts;
import java.nio.file.Path;

/**
 * A machine Heddle can run processes on, through that machine's agent. Local and remote hosts offer
 * exactly the same operations. Thread-safe.
 */
public interface Host extends AutoCloseable {

  /**
   * The local host of this JVM: its agent starts on first use (state under {@code
   * $HEDDLE_STATE_DIR}, else the temp directory) and stops every process it started when this JVM
   * exits, however it exits. Blocks while the agent starts.
   *
   * @throws HeddleException with code {@code AGENT_START_FAILED} when the agent cannot start
   */
  static Host local() {
    return LocalHosts.shared();
  }

  /**
   * A separate local agent with its own state directory (sockets, state file, logs). The caller
   * closes it; closing stops every process it started. Blocks while the agent starts.
   */
  static Host local(Path stateDir) {
    return LocalHosts.start(stateDir, "local");
  }

  /**
   * A local agent for stateDir in handover mode: its services outlive this program (a crash, a kill
   * -9, an upgrade), and the next program to call this with the same directory attaches to the same
   * agent and can {@link #adopt} them instead of starting them again. Listening sockets asked for
   * at a fixed address come back as the same socket. Closing the host shuts the agent down when it
   * runs no service any more, and otherwise leaves it running for the next program. Blocks while
   * the agent starts or is attached.
   */
  static Host localHandover(Path stateDir) {
    return LocalHosts.startOrAttach(stateDir, "local");
  }

  /**
   * A process of spec's service that an earlier program left running on this host (handover mode,
   * see {@link #localHandover}) and whose command is spec's, taken over by this program: its exit
   * is reported here from now on. Each running process is adopted at most once; empty when there is
   * none, on a host in session mode, or when the command differs (the caller then starts it).
   */
  default java.util.Optional<HostProcess> adopt(ProcessSpec spec) {
    return java.util.Optional.empty();
  }

  /**
   * Stops what an earlier program left running on this host (handover mode) that this program has
   * not {@link #adopt adopted}: services its code no longer starts. Call it once every service has
   * been started: it also commits the takeover. Until then a closing scope leaves the processes it
   * adopted running ({@link HostProcess#outlivesScope}), so a program that fails while it starts (a
   * new version that never becomes ready) leaves the earlier system as it was, serving. Returns the
   * process ids it stopped.
   */
  default java.util.List<String> stopUnadopted() {
    return java.util.List.of();
  }

  /**
   * Stops the processes of {@code service} that an earlier program left running and this one did
   * not adopt (their command differs): the old version, once its replacement is ready. Supervisors
   * call it when a service's first incarnation is ready, so an upgrade rolls through the services
   * in the order the program starts them, each new version serving before the old one stops.
   * Returns the process ids it stopped.
   */
  default java.util.List<String> retireUnadopted(String service) {
    return java.util.List.of();
  }

  /** How messages name this host: "local", "h2". */
  String name();

  /** Where the agent keeps its state and the logs of the processes it started. */
  Path stateDir();

  /** Has the agent create a listening socket and keep it. Blocks for one round trip. */
  ListeningSocket listen(SocketSpec spec);

  /** Closes a listening socket in the agent's store (processes that inherited it keep theirs). */
  void close(ListeningSocket socket);

  /**
   * Starts a process. Returns once the agent has spawned it (not once it is ready).
   *
   * @throws HeddleException naming the service, the host and what to do: {@code
   *     MISSING_EXECUTABLE}, {@code NOT_EXECUTABLE}, {@code CWD_MISSING}, {@code BAD_ENV}, {@code
   *     EMPTY_COMMAND}, {@code CLOSED_SOCKET}, {@code LOG_NOT_WRITABLE}, {@code SPAWN_FAILED}
   */
  HostProcess spawn(ProcessSpec spec);

  /**
   * Puts {@code artifacts} in this host's content-addressed store, each as {@code
   * <store>/<sha256>-<name>}, and returns their paths on this host, in order. Only what is not
   * there yet is sent (a redeploy of unchanged artifacts is one round trip), in chunks, several in
   * flight; the host's agent checks every file's size and sha256 and renames the artifact into
   * place in one step, so an interrupted deploy never leaves a half artifact that looks whole. The
   * store is {@code ~/.cache/heddle/store} of the agent's user unless the host was set up with
   * another. Blocks.
   *
   * @throws HeddleException {@code DEPLOY_FAILED} naming the artifact, the host and the cause
   *     (unreadable source, a symbolic link in a tree, the host's disk), {@code
   *     DEPLOY_VERIFY_FAILED} when the bytes arrived damaged (nothing is placed; deploy again)
   */
  java.util.List<Path> deploy(java.util.List<Artifact> artifacts, DeployProgress progress);

  /** {@link #deploy(java.util.List, DeployProgress)} without progress. */
  default java.util.List<Path> deploy(java.util.List<Artifact> artifacts) {
    return deploy(artifacts, DeployProgress.NONE);
  }

  /** {@link #deploy(java.util.List, DeployProgress)} of one artifact: its path on this host. */
  default Path deploy(Artifact artifact) {
    return deploy(java.util.List.of(artifact), DeployProgress.NONE).getFirst();
  }

  /**
   * Deploys {@code artifacts} to every host at once (one thread per host); returns each host's
   * paths, in the order of {@code hosts}. Blocks until all are done.
   *
   * @throws HeddleException the first host's failure, the others' added as suppressed
   */
  static java.util.Map<Host, java.util.List<Path>> deployEverywhere(
      java.util.List<? extends Host> hosts,
      java.util.List<Artifact> artifacts,
      DeployProgress progress) {
    return dev.heddle.internal.agent.Deployer.everywhere(hosts, artifacts, progress);
  }

  /** Creates a directory (and its parents) on the host. */
  Path mkdirs(Path dir);

  /** Creates a fresh temporary directory on the host. */
  Path mkdtemp(String prefix);

  /**
   * Stops every process started through this host (in reverse start order) and the agent. Blocks.
   */
  @Override
  void close();
}
