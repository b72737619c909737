package dev.heddle.console.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live values a console's Java shell binds to variables (public because the shell's generated
 * code reads them: {@code var scope = (Scope) ReplBindings.get("<shell>/scope")}). Not an API.
 */
public final class ReplBindings {
  private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();

  private ReplBindings() {}

  /**
   * The value bound to {@code key}.
   *
   * @throws IllegalStateException when nothing is bound to it (the shell was closed)
   */
  public static Object get(String key) {
    Object v = VALUES.get(key);
    if (v == null) {
      throw new IllegalStateException("nothing bound to " + key + " (its console has closed)");
    }
    return v;
  }

  static void put(String key, Object value) {
    VALUES.put(key, value);
  }

  static boolean holds(String key, Object value) {
    return value.equals(VALUES.get(key));
  }

  static void removePrefix(String prefix) {
    VALUES.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
