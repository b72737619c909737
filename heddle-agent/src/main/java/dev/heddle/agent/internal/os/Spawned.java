package dev.heddle.agent.internal.os;

/**
 * A spawned child: its pid, an open pidfd (O_CLOEXEC) and its identity. The caller owns the pidfd
 * and closes it with {@link Fds#close(int)} once the child has been reaped.
 */
public record Spawned(int pid, int pidfd, ProcessIdentity identity) {}
