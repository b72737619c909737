package dev.heddle;

/** How a process ended: it exited with a code, or a signal killed it. */
public sealed interface ExitStatus {

  /** Whether this is a clean exit (code 0). */
  boolean success();

  /** The process called exit(code). */
  record Exited(int code) implements ExitStatus {
    @Override
    public boolean success() {
      return code == 0;
    }

    @Override
    public String toString() {
      return "exited with code " + code;
    }
  }

  /** A signal ended the process; {@code signalNumber} is kept for signals without a name here. */
  record Signaled(int signalNumber, boolean coreDumped) implements ExitStatus {
    /** The signal, by name. */
    public String signalName() {
      for (Signal s : Signal.values()) {
        if (s.number() == signalNumber) {
          return s.toString();
        }
      }
      return "signal " + signalNumber;
    }

    /** Whether {@code signal} is the one that ended the process. */
    public boolean is(Signal signal) {
      return signal.number() == signalNumber;
    }

    @Override
    public boolean success() {
      return false;
    }

    @Override
    public String toString() {
      return "killed by " + signalName() + (coreDumped ? " (core dumped)" : "");
    }
  }
}
