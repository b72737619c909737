/**
 * The agent's native OS layer: spawning with posix_spawn, exit watching with pidfd and epoll,
 * listening sockets, process groups and cgroup v2 containment, all through java.lang.foreign.
 *
 * <p>Threads: nothing here blocks a virtual thread in a native call. The only blocking native call,
 * {@code epoll_wait}, runs on {@link dev.heddle.agent.internal.os.ExitReactor}'s platform thread.
 * Everything else is a short syscall or a JDK file read. Raw fds returned by this package are owned
 * by the caller, who closes them with {@link dev.heddle.agent.internal.os.Fds#close(int)}.
 */
@NullMarked
package dev.heddle.agent.internal.os;

import org.jspecify.annotations.NullMarked;
