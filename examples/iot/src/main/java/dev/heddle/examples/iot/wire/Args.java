package dev.heddle.examples.iot.wire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of a service main: known names only, each at most once. */
public final class Args {
  private final Map<String, String> values;

  private Args(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args}; {@code required} must all be there, {@code optional} may be.
   *
   * @throws IllegalArgumentException naming the unknown, repeated, valueless or missing option
   */
  public static Args parse(String[] args, List<String> required, List<String> optional) {
    Set<String> known = new java.util.HashSet<>(required);
    known.addAll(optional);
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "; known: " + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      if (values.put(name, args[++i]) != null) {
        throw new IllegalArgumentException(name + " given twice");
      }
    }
    for (String r : required) {
      if (!values.containsKey(r)) {
        throw new IllegalArgumentException("missing " + r);
      }
    }
    return new Args(values);
  }

  /** The value of a required option (or of an optional one that was given). */
  public String get(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v;
  }

  /** The value of {@code name}, or {@code fallback}. */
  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** An integer option. */
  public int integer(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, not '" + v + "'", e);
    }
  }
}
