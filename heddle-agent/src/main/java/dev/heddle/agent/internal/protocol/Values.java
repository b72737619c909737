package dev.heddle.agent.internal.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value encoding inside a frame body: a tag byte, then the value. Allowed values are null,
 * {@link Boolean}, {@link Long} (every integer), {@link String}, {@code byte[]}, {@link List} and
 * {@link Map} with string keys. Decoding never trusts a length: every count is checked against the
 * bytes that remain, and nesting is limited to {@value #MAX_DEPTH} levels.
 */
public final class Values {
  static final int MAX_DEPTH = 32;

  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int LONG = 3;
  private static final int STRING = 4;
  private static final int BYTES = 5;
  private static final int LIST = 6;
  private static final int MAP = 7;

  private Values() {}

  /**
   * Appends the encoding of {@code value}; throws IllegalArgumentException for a type not allowed.
   */
  static void write(ByteBuffers out, Object value) {
    switch (value) {
      case Null n -> out.put(NULL);
      case Boolean b -> out.put(b ? TRUE : FALSE);
      case Long l -> out.put(LONG).putLong(l);
      case Integer i -> out.put(LONG).putLong(i);
      case String s -> {
        out.put(STRING);
        writeString(out, s);
      }
      case byte[] bytes -> out.put(BYTES).putInt(bytes.length).put(bytes);
      case List<?> list -> {
        out.put(LIST).putInt(list.size());
        for (Object o : list) {
          writeNullable(out, o);
        }
      }
      case Map<?, ?> map -> {
        out.put(MAP).putInt(map.size());
        for (var e : map.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("map keys must be strings, got " + e.getKey());
          }
          writeString(out, key);
          writeNullable(out, e.getValue());
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cannot encode a " + value.getClass().getName() + " in a frame");
    }
  }

  static void writeNullable(ByteBuffers out, Object value) {
    if (value == null) {
      out.put(NULL);
    } else {
      write(out, value);
    }
  }

  static void writeString(ByteBuffers out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.putInt(utf8.length).put(utf8);
  }

  /** Reads one value; the buffer's position moves past it. */
  static Object read(ByteBuffer in, int depth) throws ProtocolException {
    if (depth > MAX_DEPTH) {
      throw bad("values nested deeper than " + MAX_DEPTH + " levels");
    }
    int tag = u8(in);
    return switch (tag) {
      case NULL -> Null.INSTANCE;
      case FALSE -> false;
      case TRUE -> true;
      case LONG -> {
        need(in, 8, "a number");
        yield in.getLong();
      }
      case STRING -> readString(in);
      case BYTES -> {
        int n = count(in, 1, "bytes");
        byte[] b = new byte[n];
        in.get(b);
        yield b;
      }
      case LIST -> {
        int n = count(in, 1, "list elements");
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read(in, depth + 1));
        }
        yield Collections.unmodifiableList(list);
      }
      case MAP -> readMap(in, depth);
      default -> throw bad("unknown value tag " + tag + " at offset " + (in.position() - 1));
    };
  }

  /** Reads a map whose tag has not been consumed yet. Null values are dropped (absent = null). */
  static Map<String, Object> readMap(ByteBuffer in, int depth) throws ProtocolException {
    int n = count(in, 5, "map entries");
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = readString(in);
      Object v = read(in, depth + 1);
      if (v != Null.INSTANCE) {
        map.put(key, v);
      }
    }
    return map;
  }

  static Map<String, Object> readBody(ByteBuffer in) throws ProtocolException {
    int tag = u8(in);
    if (tag != MAP) {
      throw bad("a frame body must be a map, found tag " + tag);
    }
    return readMap(in, 1);
  }

  static String readString(ByteBuffer in) throws ProtocolException {
    int n = count(in, 1, "string bytes");
    ByteBuffer slice = in.slice(in.position(), n);
    in.position(in.position() + n);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("a string is not valid UTF-8");
    }
  }

  static int u8(ByteBuffer in) throws ProtocolException {
    need(in, 1, "a byte");
    return in.get() & 0xff;
  }

  /** Reads a count and checks that the rest of the frame can hold that many items. */
  private static int count(ByteBuffer in, int minBytesEach, String what) throws ProtocolException {
    need(in, 4, "a length");
    int n = in.getInt();
    if (n < 0 || (long) n * minBytesEach > in.remaining()) {
      throw bad(
          "a length of "
              + n
              + " "
              + what
              + " does not fit in the "
              + in.remaining()
              + " bytes left in the frame");
    }
    return n;
  }

  private static void need(ByteBuffer in, int n, String what) throws ProtocolException {
    if (in.remaining() < n) {
      throw bad("the frame ends where " + what + " was expected");
    }
  }

  private static ProtocolException bad(String message) {
    return new ProtocolException(ProtocolException.Code.BAD_FRAME, message);
  }

  /** A short human description of a value's type, for error messages. */
  static String describe(Object v) {
    return switch (v) {
      case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
      case Long l -> "the number " + l;
      case Boolean b -> b.toString();
      case byte[] b -> b.length + " bytes";
      case List<?> l -> "a list of " + l.size();
      case Map<?, ?> m -> "a map of " + m.size();
      default -> v.getClass().getSimpleName();
    };
  }

  /** Stands for a decoded null inside lists (maps drop null values). */
  enum Null {
    INSTANCE
  }
}
