package dev.heddle.console.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A stream read a line at a time: no editing, no history (pipes, tests, a dumb terminal). */
final class PlainInput implements ReplInput {
  private final BufferedReader reader;
  private final PrintStream out;
  private final boolean prompts;

  PlainInput(InputStream in, PrintStream out, boolean prompts) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.prompts = prompts;
  }

  @Override
  public @Nullable String readLine(String prompt) throws IOException {
    if (prompts) {
      out.print(prompt);
      out.flush();
    }
    return reader.readLine();
  }

  @Override
  public void close() {
    // the stream belongs to the caller
  }
}
