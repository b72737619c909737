package dev.heddle.agent.internal.os;

/** Raw exit status as the kernel reports it. */
public sealed interface RawExit {
  /** The process called exit with {@code code} (0 to 255). */
  record Exited(int code) implements RawExit {}

  /** The process was killed by {@code signal}; {@code coreDumped} when the kernel wrote a core. */
  record Signaled(int signal, boolean coreDumped) implements RawExit {}
}
