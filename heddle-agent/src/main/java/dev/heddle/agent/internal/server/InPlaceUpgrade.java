package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.os.Fds;
import dev.heddle.agent.internal.os.InPlace;
import dev.heddle.agent.internal.os.OsException;
import dev.heddle.agent.internal.os.ProcessIdentity;
import dev.heddle.agent.internal.os.Processes;
import dev.heddle.agent.internal.os.Signals;
import dev.heddle.agent.internal.os.Spawned;
import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.Frame;
import dev.heddle.agent.internal.protocol.FrameCodec;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's upgrade in place, in handover mode: the running agent hands its services, listening
 * sockets and undelivered events to a new agent program under the same pid. Children stay children
 * and sockets stay open (their descriptors survive the {@code execve}), so no service notices.
 *
 * <p>The old program ({@link #handOver}): detaches the controller (events go to the missed buffer),
 * drops spares, stops accepting, stops the exit reactor (a child that exits from now on stays a
 * zombie, so its pid cannot be recycled), writes the hand-over file ({@code upgrade.frame}: one
 * encoded frame, fsynced, renamed into place) and executes the new command with {@code --restore}.
 *
 * <p>The new program ({@link #restore}): reads the file; keeps each socket whose descriptor is
 * still a socket; re-opens a pidfd for each process and adopts it only if it is still the same
 * process (start time and pidfs inode) and still this agent's child: a pid that now names another
 * process is reported and left alone. An unreadable or missing file is reported to the next
 * controller (with the pids of this agent's children, which keep running unmanaged); nothing is
 * killed on a guess.
 */
final class InPlaceUpgrade {
  static final String FILE = "upgrade.frame";

  private InPlaceUpgrade() {}

  /**
   * Checks a requested upgrade before it is answered: handover mode, a command whose program is an
   * executable file.
   */
  static void check(Agent agent, List<String> command) throws AgentError {
    if (!agent.options.handover()) {
      throw new AgentError(
          "UPGRADE_UNSUPPORTED",
          "this agent runs in session mode, where it lives exactly as long as its controller: a"
              + " new program starts a new agent, so there is nothing to upgrade in place");
    }
    if (command.isEmpty() || !Files.isExecutable(Path.of(command.getFirst()))) {
      throw new AgentError(
          "BAD_COMMAND",
          "the upgrade command must start with an executable file, got "
              + (command.isEmpty() ? "nothing" : "'" + command.getFirst() + "'")
              + "; nothing was changed");
    }
  }

  /**
   * Hands everything over and executes {@code command} (plus {@code --restore FILE}). Returns only
   * when that failed; then it tries the agent's own command line, and if that fails too the
   * services run on without an agent (the log says so) and the agent exits.
   */
  static void handOver(Agent agent, List<String> command) {
    Path file = agent.options.stateDir().resolve(FILE);
    List<Integer> keep = new ArrayList<>();
    try {
      agent.quiesceForUpgrade();
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("fromPid", (long) Processes.getpid());
      state.put("fromBuild", agent.options.build());
      List<Object> sockets = new ArrayList<>();
      for (ListeningSocket s : agent.sockets.values()) {
        sockets.add(s.describe());
        keep.add(s.fd());
      }
      state.put("sockets", sockets);
      state.put("nextSocket", (long) agent.nextSocket.get());
      Map<String, Object> incarnations = new LinkedHashMap<>();
      agent.incarnations.forEach((k, v) -> incarnations.put(k, (long) v.get()));
      state.put("incarnations", incarnations);
      List<Object> processes = new ArrayList<>();
      for (ManagedProcess p : agent.snapshot()) {
        if (!exited(p)) {
          Map<String, Object> m = p.describe();
          m.put("logMaxBytes", p.logMaxBytes);
          m.put("logKeep", (long) p.logKeep);
          processes.add(m);
        }
      }
      state.put("processes", processes);
      state.put("missed", agent.takeMissedForUpgrade());
      write(file, state);
      AgentLog.info(
          "upgrading in place: "
              + processes.size()
              + " process(es), "
              + sockets.size()
              + " socket(s) handed over to "
              + command);
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("could not write the hand-over file " + file + "; exiting", e);
      Processes.exitNow(1);
    }
    List<String> argv = new ArrayList<>(command);
    argv.add("--restore");
    argv.add(file.toString());
    OsException failed = InPlace.exec(argv, System.getenv(), keep);
    AgentLog.warn("could not execute the new agent (" + failed.getMessage() + ")");
    List<String> self = ownCommand();
    if (!self.isEmpty()) {
      self.add("--restore");
      self.add(file.toString());
      OsException again = InPlace.exec(self, System.getenv(), keep);
      AgentLog.warn("could not execute this agent again either (" + again.getMessage() + ")");
    }
    AgentLog.warn(
        "exiting: the services keep running without an agent; stop them by hand (their pids are in "
            + file
            + ")");
    Processes.exitNow(1);
  }

  /** Whether p's exit was seen (a watch cancelled by the reactor's close is not an exit). */
  private static boolean exited(ManagedProcess p) {
    if (!p.exit.isDone()) {
      return false;
    }
    try {
      var _ = p.exit.join();
      return true;
    } catch (CancellationException | java.util.concurrent.CompletionException e) {
      return false;
    }
  }

  private static List<String> ownCommand() {
    var info = ProcessHandle.current().info();
    List<String> argv = new ArrayList<>();
    info.command().ifPresent(argv::add);
    info.arguments().ifPresent(a -> argv.addAll(List.of(a)));
    int restore = argv.indexOf("--restore");
    if (restore >= 0 && restore + 1 < argv.size()) {
      argv.remove(restore + 1);
      argv.remove(restore);
    }
    return argv;
  }

  private static void write(Path file, Map<String, Object> state) throws IOException {
    Path temp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(FrameCodec.encode(Frame.event("upgrade", state))));
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Takes over what the previous program of this pid handed over in {@code file}; problems become
   * {@code warning} events for the next controller. Called before the agent accepts connections.
   */
  static void restore(Agent agent, Spawns spawns, Path file) {
    Frame frame;
    try (InputStream in = Files.newInputStream(file)) {
      Frame f = FrameCodec.read(in);
      if (f == null || !"upgrade".equals(f.type())) {
        throw new ProtocolException(
            ProtocolException.Code.BAD_FRAME, "it holds no hand-over frame");
      }
      frame = f;
    } catch (IOException | ProtocolException e) {
      unreadable(agent, file, e.getMessage());
      return;
    }
    try {
      Body body = frame.fields();
      List<String> notes = new ArrayList<>();
      if (body.map().get("missed") instanceof List<?> missed) {
        agent.restoreMissed(missed);
      }
      if (body.map().get("incarnations") instanceof Map<?, ?> inc) {
        inc.forEach(
            (k, v) -> {
              if (v instanceof Long n) {
                agent.incarnations.put(String.valueOf(k), new AtomicInteger(n.intValue()));
              }
            });
      }
      agent.nextSocket.set((int) body.optNumber("nextSocket", 0));
      for (Body s : maps(body, "sockets")) {
        int fd = s.intNumber("fd");
        if (!Fds.isOpen(fd)) {
          notes.add("socket " + s.string("socketId") + " (fd " + fd + ") was not handed over");
          continue;
        }
        InPlace.closeOnExec(fd);
        agent.sockets.put(
            s.string("socketId"),
            new ListeningSocket(
                s.string("socketId"),
                s.string("name"),
                s.string("kind"),
                fd,
                s.string("host"),
                s.intNumber("port"),
                s.optString("path")));
      }
      int adopted = 0;
      for (Body p : maps(body, "processes")) {
        String note = adopt(spawns, p);
        if (note == null) {
          adopted++;
        } else {
          notes.add(note);
        }
      }
      AgentLog.info(
          "upgraded in place from build "
              + body.optString("fromBuild")
              + " to "
              + agent.options.build()
              + ": "
              + adopted
              + " process(es) and "
              + agent.sockets.size()
              + " socket(s) taken over"
              + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
      for (String n : notes) {
        agent.event("warning", Map.of("message", "After the agent's upgrade in place: " + n));
      }
      agent.saveState();
      Files.deleteIfExists(file);
    } catch (ProtocolException | IOException | RuntimeException e) {
      unreadable(agent, file, String.valueOf(e.getMessage()));
    }
  }

  /** Adopts one handed-over process; returns null, or why it was not adopted. */
  private static @org.jspecify.annotations.Nullable String adopt(Spawns spawns, Body p)
      throws ProtocolException {
    String processId = p.string("processId");
    int pid = p.intNumber("pid");
    var recorded = new ProcessIdentity(pid, p.number("startTime"), p.number("pidfdInode"));
    var reopened = InPlace.reopen(pid);
    if (reopened.isEmpty()) {
      return processId + " (pid " + pid + ") is gone";
    }
    Spawned now = reopened.get();
    if (!recorded.matches(pid, now.pidfd()) || InPlace.parentOf(pid) != Processes.getpid()) {
      Fds.close(now.pidfd());
      return processId
          + " was not adopted: pid "
          + pid
          + " now belongs to another process (its start time or parent differ); it was left"
          + " alone";
    }
    String cgroup = p.optString("cgroup");
    ManagedProcess m =
        new ManagedProcess(
            p.string("service"),
            (int) p.number("incarnation"),
            new Spawned(pid, now.pidfd(), recorded),
            cgroup == null ? null : Path.of(cgroup),
            Path.of(p.string("logDir")),
            p.strings("command"),
            Signals.parse(p.string("stopSignal")),
            Duration.ofMillis(p.number("stopGraceMs")),
            p.number("logMaxBytes"),
            (int) p.number("logKeep"));
    spawns.adoptHandedOver(m);
    return null;
  }

  private static List<Body> maps(Body body, String field) {
    List<Body> out = new ArrayList<>();
    if (body.map().get(field) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          Map<String, Object> typed = new LinkedHashMap<>();
          m.forEach((k, v) -> typed.put(String.valueOf(k), v));
          out.add(new Body(field, typed));
        }
      }
    }
    return out;
  }

  private static void unreadable(
      Agent agent, Path file, @org.jspecify.annotations.Nullable String why) {
    List<Integer> children = Processes.childrenOf(Processes.getpid());
    String message =
        "The agent was upgraded in place but cannot read what its previous program handed over in "
            + file
            + " ("
            + why
            + "). Its "
            + children.size()
            + " child process(es) "
            + children
            + " keep running, unmanaged: nothing was killed. Stop them by hand (kill PID) once"
            + " you have checked what they are.";
    AgentLog.warn(message);
    agent.event("warning", Map.of("message", message));
    try {
      if (Files.exists(file)) {
        Files.move(
            file, file.resolveSibling(FILE + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      AgentLog.warn("could not move " + file + " aside", e);
    }
  }
}
