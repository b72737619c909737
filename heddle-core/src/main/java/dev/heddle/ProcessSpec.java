package dev.heddle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One process to start on a host: the service it belongs to, its command, the listening sockets it
 * inherits, and how to stop it. Build with {@link #builder(String, Command)}.
 */
public record ProcessSpec(
    String service,
    Command command,
    List<ListeningSocket> sockets,
    Signal stopSignal,
    Duration stopGrace,
    long logMaxBytes,
    int logKeep,
    boolean keepSpare) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ProcessSpec {
    Objects.requireNonNull(command, "command");
    if (!NAME.matcher(service).matches()) {
      throw new IllegalArgumentException(
          "service name '"
              + service
              + "' is not allowed: use 1 to 64 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    sockets = List.copyOf(sockets);
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("stopGrace must not be negative, got " + stopGrace);
    }
    if (logMaxBytes < 4096) {
      throw new IllegalArgumentException("logMaxBytes must be at least 4096, got " + logMaxBytes);
    }
    if (logKeep < 1 || logKeep > 9) {
      throw new IllegalArgumentException("logKeep must be 1..9 rotated files, got " + logKeep);
    }
  }

  public static Builder builder(String service, Command command) {
    return new Builder(service, command);
  }

  /** Builds a {@link ProcessSpec}; defaults: SIGTERM, 5 s grace, 16 MiB logs, 3 rotated files. */
  public static final class Builder {
    private final String service;
    private final Command command;
    private final List<ListeningSocket> sockets = new ArrayList<>();
    private Signal stopSignal = Signal.TERM;
    private Duration stopGrace = Duration.ofSeconds(5);
    private long logMaxBytes = 16L << 20;
    private int logKeep = 3;
    private boolean keepSpare;

    private Builder(String service, Command command) {
      this.service = service;
      this.command = command;
    }

    /** Passes {@code socket} to the process at the next fd from 3 up. */
    public Builder inherit(ListeningSocket socket) {
      sockets.add(socket);
      return this;
    }

    public Builder stopSignal(Signal signal) {
      this.stopSignal = signal;
      return this;
    }

    /** How long a stop waits after the stop signal before it kills the whole tree. */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = grace;
      return this;
    }

    /** Rotate each log file once it grows past {@code maxBytes}, keeping {@code keep} old files. */
    public Builder logRotation(long maxBytes, int keep) {
      this.logMaxBytes = maxBytes;
      this.logKeep = keep;
      return this;
    }

    /**
     * Has the host prepare the next incarnation ahead of time (spawned with its log files, cgroup
     * and sockets, waiting for the word), so that the next spawn of this same spec is one write
     * instead of a process start. Supervisors use it for services they restart; whoever sets it
     * calls {@link HostProcess#dropSpare()} once no further incarnation will be started.
     */
    public Builder keepSpare(boolean keep) {
      this.keepSpare = keep;
      return this;
    }

    public ProcessSpec build() {
      return new ProcessSpec(
          service, command, sockets, stopSignal, stopGrace, logMaxBytes, logKeep, keepSpare);
    }
  }
}
