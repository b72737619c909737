package dev.heddle.agent.internal.server;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as JSON: enough for the state file. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, int indent) {
    switch (value) {
      case String s -> quote(out, s);
      case Number n -> out.append(n);
      case Boolean b -> out.append(b);
      case Map<?, ?> map -> {
        out.append('{');
        String sep = "\n";
        for (var e : map.entrySet()) {
          out.append(sep).append("  ".repeat(indent + 1));
          quote(out, String.valueOf(e.getKey()));
          out.append(": ");
          write(out, e.getValue(), indent + 1);
          sep = ",\n";
        }
        out.append(map.isEmpty() ? "" : "\n" + "  ".repeat(indent)).append('}');
      }
      case List<?> list -> {
        out.append('[');
        String sep = "";
        for (Object o : list) {
          out.append(sep);
          write(out, o, indent);
          sep = ", ";
        }
        out.append(']');
      }
      default -> quote(out, value.toString());
    }
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
