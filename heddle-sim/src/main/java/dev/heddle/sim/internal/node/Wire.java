package dev.heddle.sim.internal.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Maelstrom's wire format: one JSON object {@code {id, src, dest, body}} per line. Parsing checks
 * the schema Maelstrom checks; encoding forwards a node's own line with only {@code id} added when
 * it can, which avoids re-encoding on the hot path. Thread-safe.
 */
public final class Wire {
  private Wire() {}

  /** The result of parsing one line. */
  public sealed interface Parsed {}

  /**
   * A well-formed message.
   *
   * @param src the sender
   * @param dest the receiver
   * @param body the payload
   * @param raw the trimmed line, when it can be forwarded with {@code id} prepended; else null
   */
  // raw is forwarded as is on the hot path; parsed lines are never compared or hashed, so the
  // array's identity-based equals does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  public record Valid(String src, String dest, ObjectNode body, byte @Nullable [] raw)
      implements Parsed {}

  /**
   * A line that is not a message.
   *
   * @param kind what is wrong with it
   * @param detail the line, shortened, and why
   */
  public record Invalid(Problems.Kind kind, String detail) implements Parsed {}

  /** Parses {@code len} bytes at {@code off}, without the newline. */
  public static Parsed parse(byte[] buf, int off, int len) {
    int start = off;
    int end = off + len;
    while (start < end && isSpace(buf[start])) {
      start++;
    }
    while (end > start && isSpace(buf[end - 1])) {
      end--;
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(buf, start, end - start);
    } catch (IOException e) {
      return new Invalid(
          Problems.Kind.LINE_NOT_VALID_JSON, show(buf, start, end) + " (" + firstLine(e) + ")");
    }
    if (tree == null || !tree.isObject()) {
      return new Invalid(Problems.Kind.LINE_NOT_VALID_JSON, show(buf, start, end));
    }
    String src = Json.text(tree, "src");
    String dest = Json.text(tree, "dest");
    JsonNode body = tree.get("body");
    if (src == null || dest == null || body == null || !body.isObject()) {
      return new Invalid(Problems.Kind.MALFORMED_MESSAGE, show(buf, start, end));
    }
    byte[] raw = tree.has("id") ? null : Arrays.copyOfRange(buf, start, end);
    return new Valid(src, dest, (ObjectNode) body, raw);
  }

  /** Encodes a message as one line, with its network id, ending in a newline. */
  public static byte[] encode(Message m) {
    byte[] raw = m.raw();
    if (raw != null && raw.length > 2 && raw[0] == '{') {
      byte[] id = ("{\"id\":" + m.id() + ",").getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[id.length + raw.length];
      System.arraycopy(id, 0, out, 0, id.length);
      System.arraycopy(raw, 1, out, id.length, raw.length - 1);
      out[out.length - 1] = '\n';
      return out;
    }
    ObjectNode envelope = Json.object();
    envelope.put("id", m.id());
    envelope.put("src", m.src());
    envelope.put("dest", m.dest());
    envelope.set("body", m.body());
    byte[] json = Json.write(envelope).getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  private static String show(byte[] buf, int start, int end) {
    return new String(buf, start, Math.min(end - start, 200), StandardCharsets.UTF_8);
  }

  private static String firstLine(IOException e) {
    String msg = String.valueOf(e.getMessage());
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }
}
