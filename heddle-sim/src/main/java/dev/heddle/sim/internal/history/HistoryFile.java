package dev.heddle.sim.internal.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.heddle.sim.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a history written as JSON lines, one Jepsen op per line, in the order they happened: {@code
 * type} (invoke, ok, fail or info), {@code f}, {@code process} (an integer, or "nemesis"), and
 * optionally {@code value}, {@code time} (nanoseconds), {@code error}, {@code final?} and {@code
 * node}; other fields (such as the simulator's {@code index}) are ignored, as are blank lines. A
 * process has at most one op open: its invoke is followed by its completion before it invokes
 * again.
 */
public final class HistoryFile {
  /**
   * A history read from a file.
   *
   * @param ops the ops, indexed from 0 in file order
   * @param lines the line number of each op
   */
  public record Read(List<Op> ops, List<Integer> lines) {
    /** Returns the line number of the op at {@code index}. */
    public int line(long index) {
      return lines.get((int) index);
    }
  }

  /** A line of a history file that is not a well-formed op. */
  public static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    /** Creates the error for {@code line} (counted from 1). */
    public BadLine(int line, String message) {
      super("line " + line + ": " + message);
      this.line = line;
    }

    /** Returns the line number, counted from 1. */
    public int line() {
      return line;
    }
  }

  private HistoryFile() {}

  /**
   * Reads a history file.
   *
   * @throws IOException when the file cannot be read
   * @throws BadLine naming the first line that is not a well-formed op
   */
  public static Read read(Path file) throws IOException, BadLine {
    History h = new History();
    List<Integer> lines = new ArrayList<>();
    Map<Integer, Integer> open = new HashMap<>();
    long lastTime = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = parse(number, line);
        Op.Type type = type(number, o);
        String f = text(number, o, "f");
        int process = process(number, o);
        JsonNode t = o.get("time");
        if (t != null && !t.isIntegralNumber()) {
          throw new BadLine(number, "\"time\" must be an integer (nanoseconds), got " + t);
        }
        long time = t == null ? lastTime : t.longValue();
        lastTime = time;
        if (process != Op.NEMESIS) {
          Integer since = open.get(process);
          if (type == Op.Type.INVOKE && since != null) {
            throw new BadLine(
                number,
                "process "
                    + process
                    + " invokes again while its invoke on line "
                    + since
                    + " has not completed");
          }
          if (type == Op.Type.INVOKE) {
            open.put(process, number);
          } else if (open.remove(process) == null) {
            throw new BadLine(
                number,
                (type == Op.Type.FAIL ? "a " : "an ")
                    + type.key()
                    + " completion for process "
                    + process
                    + ", which has no open invoke");
          }
        }
        h.append(
            type,
            f,
            nullable(o.get("value")),
            process,
            time,
            nullable(o.get("error")),
            o.path("final?").asBoolean(false),
            Json.text(o, "node"));
        lines.add(number);
      }
    }
    return new Read(new ArrayList<>(h.ops()), List.copyOf(lines));
  }

  private static JsonNode parse(int number, String line) throws BadLine {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadLine(number, "malformed JSON: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject()) {
      throw new BadLine(
          number, "expected a JSON object (one op), got " + (o == null ? "nothing" : line.strip()));
    }
    return o;
  }

  private static Op.Type type(int number, JsonNode o) throws BadLine {
    String type = text(number, o, "type");
    return switch (type) {
      case "invoke", "ok", "fail", "info" -> Op.Type.valueOf(type.toUpperCase(Locale.ROOT));
      default ->
          throw new BadLine(
              number, "unknown op type '" + type + "' (expected invoke, ok, fail or info)");
    };
  }

  private static int process(int number, JsonNode o) throws BadLine {
    JsonNode p = o.get("process");
    if (p != null && p.isTextual() && p.textValue().equals("nemesis")) {
      return Op.NEMESIS;
    }
    if (p == null || !p.canConvertToInt() || !p.isIntegralNumber() || p.intValue() < 0) {
      throw new BadLine(
          number,
          "\"process\" must be a non-negative integer or \"nemesis\", got "
              + (p == null ? "nothing" : p.toString()));
    }
    return p.intValue();
  }

  private static String text(int number, JsonNode o, String field) throws BadLine {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new BadLine(
          number,
          "\"" + field + "\" must be a string, got " + (v == null ? "nothing" : v.toString()));
    }
    return v.textValue();
  }

  private static @Nullable JsonNode nullable(@Nullable JsonNode v) {
    return v == null || v.isNull() ? null : v;
  }
}
