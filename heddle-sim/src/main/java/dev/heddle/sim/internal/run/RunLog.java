package dev.heddle.sim.internal.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's log: lines go to the console and to {@code sim.log} in the run directory. Thread-safe.
 */
final class RunLog implements AutoCloseable {
  private final PrintStream console;
  private final Writer file;
  private boolean progressShown;

  RunLog(PrintStream console, Path file) throws IOException {
    this.console = console;
    this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /** Logs a line. */
  synchronized void info(String line) {
    clearProgress();
    console.println(line);
    try {
      file.write(line + "\n");
      file.flush();
    } catch (IOException e) {
      console.println("(could not write sim.log: " + e.getMessage() + ")");
    }
  }

  /** Shows a progress line: rewritten in place on a terminal, printed every call otherwise. */
  synchronized void progress(String line, boolean terminal) {
    if (terminal) {
      console.print("\r" + line + "\u001b[K");
      progressShown = true;
    } else {
      console.println(line);
    }
    console.flush();
  }

  private void clearProgress() {
    if (progressShown) {
      console.print("\r\u001b[K");
      progressShown = false;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    clearProgress();
    file.close();
  }
}
