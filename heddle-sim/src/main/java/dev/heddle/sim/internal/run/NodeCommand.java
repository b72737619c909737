package dev.heddle.sim.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks and resolves the node program, as Maelstrom does with the binary's canonical path. */
public final class NodeCommand {
  private NodeCommand() {}

  /**
   * Returns the command with the program replaced by its canonical path.
   *
   * @throws IOException saying what is wrong when the program is missing, a directory, or not
   *     executable
   */
  public static List<String> resolve(List<String> command) throws IOException {
    Path bin = Path.of(command.getFirst());
    if (!Files.exists(bin)) {
      throw new IOException(
          "The node program "
              + bin
              + " does not exist (--bin "
              + command.getFirst()
              + ", resolved against "
              + Path.of("").toAbsolutePath()
              + ").");
    }
    if (Files.isDirectory(bin)) {
      throw new IOException(
          "The node program " + bin + " is a directory; --bin needs an executable file.");
    }
    if (!Files.isExecutable(bin)) {
      throw new IOException(
          "The node program "
              + bin
              + " is not executable. Make it executable (chmod +x "
              + bin
              + ") and give it a #! line, for example #!/usr/bin/env python3.");
    }
    List<String> out = new ArrayList<>(command);
    out.set(0, bin.toRealPath().toString());
    return out;
  }
}
