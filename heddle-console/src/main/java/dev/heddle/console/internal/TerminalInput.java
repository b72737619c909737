package dev.heddle.console.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The process's terminal through a JLine {@link LineReader}: arrows, Emacs keys, {@code Ctrl-R}
 * search, and a history file appended to after every line (so a killed session keeps it).
 */
final class TerminalInput implements ReplInput {
  private final Terminal terminal;
  private final LineReader reader;

  private TerminalInput(Terminal terminal, LineReader reader) {
    this.terminal = terminal;
    this.reader = reader;
  }

  static TerminalInput open(Path history) throws IOException {
    Path dir = history.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Terminal terminal = TerminalBuilder.builder().system(true).name("heddle repl").build();
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("heddle")
            .variable(LineReader.HISTORY_FILE, history)
            .variable(LineReader.HISTORY_SIZE, 1000)
            .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
            // Java code is full of '!' ("!=", "!done"); it must never expand to a history event
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
            .build();
    return new TerminalInput(terminal, reader);
  }

  @Override
  public @Nullable String readLine(String prompt) throws Interrupted {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      throw new Interrupted(e.getPartialLine());
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
      terminal.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the REPL history or close the terminal", e);
    }
  }
}
