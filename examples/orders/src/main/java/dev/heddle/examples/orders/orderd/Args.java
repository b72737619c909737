package dev.heddle.examples.orders.orderd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs, for the services' small command lines. */
public final class Args {
  private Args() {}

  /**
   * The options in {@code args}, each of which must be one of {@code known} and have a value.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public static Map<String, String> parse(String[] args, String... known) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!List.of(known).contains(args[i])) {
        throw new IllegalArgumentException(
            "unknown option '" + args[i] + "'; known: " + String.join(", ", known));
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      m.put(args[i], args[++i]);
    }
    return m;
  }

  /**
   * Checks that every option in {@code names} was given.
   *
   * @throws IllegalArgumentException naming the first missing one
   */
  public static void require(Map<String, String> opts, String... names) {
    for (String n : names) {
      if (!opts.containsKey(n)) {
        throw new IllegalArgumentException("missing " + n);
      }
    }
  }
}
