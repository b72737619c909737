package dev.heddle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to run: a program, its arguments, extra environment and working directory. Immutable; each
 * {@code with…} method returns a new command. The program is looked up on the host's PATH unless it
 * contains a '/'. The environment is the agent's, plus {@link #env()} (set {@link
 * #inheritEnv(boolean)} false for exactly {@link #env()}).
 */
public final class Command {
  private final String program;
  private final List<String> args;
  private final Map<String, String> env;
  private final @Nullable Path cwd;
  private final boolean inheritEnv;

  private Command(
      String program,
      List<String> args,
      Map<String, String> env,
      @Nullable Path cwd,
      boolean inheritEnv) {
    this.program = program;
    this.args = List.copyOf(args);
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    this.cwd = cwd;
    this.inheritEnv = inheritEnv;
  }

  /** A program and its arguments. Validation (does it exist?) happens on the host at spawn. */
  public static Command of(String program, String... args) {
    Objects.requireNonNull(program, "program");
    return new Command(program, List.of(args), Map.of(), null, true);
  }

  /** {@code /bin/sh -c script}. */
  public static Command shell(String script) {
    return of("/bin/sh", "-c", script);
  }

  /** This command with more arguments; paths and numbers are turned into strings. */
  public Command args(Object... more) {
    List<String> all = new ArrayList<>(args);
    for (Object o : more) {
      all.add(String.valueOf(o));
    }
    return new Command(program, all, env, cwd, inheritEnv);
  }

  /** This command with one more environment variable. */
  public Command env(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put(name, value);
    return new Command(program, args, all, cwd, inheritEnv);
  }

  /** This command, run in {@code dir} on its host. */
  public Command cwd(Path dir) {
    return new Command(program, args, env, dir, inheritEnv);
  }

  /** Whether the process also gets the agent's environment (the default) or only {@link #env()}. */
  public Command inheritEnv(boolean inherit) {
    return new Command(program, args, env, cwd, inherit);
  }

  public String program() {
    return program;
  }

  public List<String> args() {
    return args;
  }

  public Map<String, String> env() {
    return env;
  }

  public @Nullable Path cwd() {
    return cwd;
  }

  public boolean inheritsEnv() {
    return inheritEnv;
  }

  /** The command line, for messages: {@code [python3 -c …]}. */
  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    all.add(program);
    all.addAll(args);
    return all.toString().replace(",", "");
  }
}
