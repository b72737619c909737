package dev.heddle.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a REPL's lines come from: the process's terminal with line editing and a history file
 * ({@link #terminal}), or any stream read plainly ({@link #plain}), for pipes and tests. One thread
 * reads; close it to give the terminal back.
 */
public interface ReplInput extends AutoCloseable {

  /**
   * Shows {@code prompt} (a terminal, or a plain input asked to) and blocks for the next line.
   *
   * @return the line without its end, or null at the end of the input ({@code Ctrl-D})
   * @throws Interrupted when the user pressed {@code Ctrl-C}; the line typed so far is dropped
   * @throws IOException when the input cannot be read
   */
  @Nullable String readLine(String prompt) throws IOException, Interrupted;

  @Override
  void close();

  /** {@code Ctrl-C} at a prompt: what was typed on the line, which is dropped. */
  final class Interrupted extends Exception {
    private static final long serialVersionUID = 1L;
    private final String partialLine;

    Interrupted(String partialLine) {
      super("interrupted");
      this.partialLine = partialLine;
    }

    /** What was typed on the line when {@code Ctrl-C} came (empty for an empty line). */
    public String partialLine() {
      return partialLine;
    }
  }

  /**
   * Reads {@code in} a line at a time (UTF-8), printing each prompt to {@code out} when {@code
   * prompts} is true.
   */
  static ReplInput plain(InputStream in, PrintStream out, boolean prompts) {
    return new PlainInput(in, out, prompts);
  }

  /**
   * The process's own terminal (stdin and stdout must be one) with JLine's line editing and
   * history, which is read from {@code history} and appended to it after every line.
   *
   * @throws IOException when the terminal cannot be opened
   */
  static ReplInput terminal(Path history) throws IOException {
    return TerminalInput.open(history);
  }

  /**
   * The history file of Heddle's REPLs: {@code $XDG_STATE_HOME/heddle/repl_history}, else {@code
   * ~/.local/state/heddle/repl_history}.
   */
  static Path defaultHistory() {
    String xdg = System.getenv("XDG_STATE_HOME");
    Path state =
        xdg != null && !xdg.isEmpty()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return state.resolve("heddle").resolve("repl_history");
  }
}
