package dev.heddle.console.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * A REPL's read-evaluate-print loop, the same for {@code heddle repl} (evaluating over the control
 * API) and {@code bin/orders --repl} (in the program): a snippet left incomplete by a line
 * continues on the next one ({@code ...>}); {@code /exit}, the end of the input, or {@code Ctrl-C}
 * on an empty prompt ends it; {@code Ctrl-C} otherwise drops what was typed. Errors of a snippet
 * are printed, not fatal.
 */
public final class ReplLoop {
  private ReplLoop() {}

  /** What evaluating some input gave: values, errors, and the incomplete snippet at its end. */
  public record Answer(List<String> values, List<String> errors, String remaining) {}

  /** Evaluates code (one or more snippets, perhaps incomplete at the end). */
  @FunctionalInterface
  public interface Evaluator<E extends Exception> {
    Answer eval(String code) throws E, InterruptedException;
  }

  /**
   * Runs the loop until the input ends; blocks. Prompts are {@code <system>> } and {@code ...> }.
   *
   * @throws E when {@code eval} fails (not a snippet's error: those are printed)
   * @throws IOException when the input cannot be read
   */
  public static <E extends Exception> void run(
      ReplInput input, PrintStream out, String system, Evaluator<E> eval)
      throws E, IOException, InterruptedException {
    String pending = "";
    while (true) {
      String line;
      try {
        line = input.readLine(pending.isEmpty() ? system + "> " : "...> ");
      } catch (ReplInput.Interrupted e) {
        if (pending.isEmpty() && e.partialLine().isEmpty()) {
          return;
        }
        pending = "";
        continue;
      }
      if (line == null || (pending.isEmpty() && line.strip().equals("/exit"))) {
        return;
      }
      Answer a = eval.eval(pending + line + "\n");
      a.values().forEach(out::println);
      a.errors().forEach(e -> out.println("error: " + e.replace("\n", "\n  ")));
      out.flush();
      pending = a.remaining();
    }
  }
}
