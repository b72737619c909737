package dev.heddle.agent.internal.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Typed reads of a frame body; a missing or mistyped field is a {@link ProtocolException}. */
public record Body(String type, Map<String, Object> map) {

  public String string(String field) throws ProtocolException {
    if (map.get(field) instanceof String s) {
      return s;
    }
    throw wrong(field, "a string");
  }

  public @Nullable String optString(String field) throws ProtocolException {
    return map.containsKey(field) ? string(field) : null;
  }

  public long number(String field) throws ProtocolException {
    if (map.get(field) instanceof Long l) {
      return l;
    }
    throw wrong(field, "a number");
  }

  public long optNumber(String field, long fallback) throws ProtocolException {
    return map.containsKey(field) ? number(field) : fallback;
  }

  public int intNumber(String field) throws ProtocolException {
    long n = number(field);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw wrong(field, "a 32-bit number");
    }
    return (int) n;
  }

  public boolean flag(String field, boolean fallback) throws ProtocolException {
    Object v = map.get(field);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrong(field, "true or false");
  }

  public List<String> strings(String field) throws ProtocolException {
    Object v = map.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw wrong(field, "a list of strings");
        }
        out.add(s);
      }
      return out;
    }
    throw wrong(field, "a list of strings");
  }

  public Map<String, String> stringMap(String field) throws ProtocolException {
    Object v = map.get(field);
    if (v == null) {
      return Map.of();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, String> out = new LinkedHashMap<>();
      for (var e : m.entrySet()) {
        if (!(e.getValue() instanceof String s)) {
          throw wrong(field, "a map of strings");
        }
        out.put((String) e.getKey(), s);
      }
      return out;
    }
    throw wrong(field, "a map of strings");
  }

  public byte[] bytes(String field) throws ProtocolException {
    if (map.get(field) instanceof byte[] b) {
      return b;
    }
    throw wrong(field, "bytes");
  }

  /** A list of maps, each read as a body of the same type; none when the field is missing. */
  public List<Body> bodies(String field) throws ProtocolException {
    Object v = map.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list) {
      List<Body> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m)) {
          throw wrong(field, "a list of maps");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        m.forEach((k, x) -> fields.put(String.valueOf(k), x));
        out.add(new Body(type, fields));
      }
      return out;
    }
    throw wrong(field, "a list of maps");
  }

  private ProtocolException wrong(String field, String expected) {
    Object v = map.get(field);
    String got = v == null ? "nothing" : Values.describe(v);
    return new ProtocolException(
        ProtocolException.Code.BAD_REQUEST,
        "'" + type + "' needs field '" + field + "' to be " + expected + ", got " + got);
  }
}
