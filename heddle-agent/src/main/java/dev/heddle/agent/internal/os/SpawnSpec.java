package dev.heddle.agent.internal.os;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to start one process.
 *
 * @param executable a path (contains '/') or a name looked up on the PATH in {@code env}; it is
 *     also the child's argv[0], except with the sh trampoline, where argv[0] is the resolved path
 * @param args the arguments after argv[0]
 * @param env the complete environment (not merged with the agent's), kept in the given order
 * @param cwd the working directory, or null to inherit the agent's
 * @param fds fds placed in the child at 3, 4, ... with LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID
 * @param stdout file that fd 1 appends to (created 0644 if missing)
 * @param stderr file that fd 2 appends to (may be the same file as stdout)
 * @param cgroupDir a cgroup v2 directory the child joins before exec, or null for none
 */
public record SpawnSpec(
    String executable,
    List<String> args,
    Map<String, String> env,
    @Nullable Path cwd,
    List<PassedFd> fds,
    Path stdout,
    Path stderr,
    @Nullable Path cgroupDir) {

  public SpawnSpec {
    Objects.requireNonNull(executable, "executable");
    args = List.copyOf(args);
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    env.forEach(
        (k, v) ->
            copy.put(
                Objects.requireNonNull(k, "env name"),
                Objects.requireNonNull(v, () -> "env value of " + k)));
    env = Collections.unmodifiableMap(copy);
    fds = List.copyOf(fds);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }
}
