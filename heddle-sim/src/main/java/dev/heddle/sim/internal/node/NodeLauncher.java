package dev.heddle.sim.internal.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts node programs and the {@code kill} command that pauses and resumes them: the simulator's
 * only use of {@link ProcessBuilder}. Maelstrom's node programs talk over their stdin and stdout,
 * so a JDK process with three pipes is what they need; Heddle's own services are spawned by the
 * agent.
 */
final class NodeLauncher {
  private NodeLauncher() {}

  /**
   * Starts a node program with its stdin, stdout and stderr piped, in the temporary directory.
   *
   * @throws IOException if the program cannot be started
   */
  static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
        .start();
  }

  /**
   * Sends SIGSTOP (pause) or SIGCONT (resume) to a process and its descendants with kill(1), since
   * the JDK only sends SIGTERM and SIGKILL. Waits up to 5 s for kill to finish.
   */
  static void signal(ProcessHandle process, boolean pause)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of("kill", pause ? "-STOP" : "-CONT", Long.toString(process.pid())));
    process.descendants().forEach(d -> cmd.add(Long.toString(d.pid())));
    Process k = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    k.getInputStream().transferTo(OutputStream.nullOutputStream());
    k.waitFor(5, TimeUnit.SECONDS);
  }
}
