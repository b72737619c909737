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
