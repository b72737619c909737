package dev.heddle.sim.internal.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * One message on the simulated network, immutable once sent.
 *
 * @param id the network's message number, written as the top-level {@code id} on delivery
 * @param src the sender's id
 * @param dest the receiver's id
 * @param body the payload
 * @param raw the sender's own line when it can be forwarded with only {@code id} added, else null
 */
// raw is the sender's line, forwarded as is on the hot path; messages are never compared or hashed,
// so the array's identity-based equals does not matter.
@SuppressWarnings("ArrayRecordComponent")
public record Message(long id, String src, String dest, ObjectNode body, byte @Nullable [] raw) {

  /** Returns the body's {@code type}, or the empty string. */
  public String type() {
    JsonNode t = body.get("type");
    return t != null && t.isTextual() ? t.textValue() : "";
  }

  /** Returns the body's {@code in_reply_to}, or -1 when there is none. */
  public long inReplyTo() {
    JsonNode r = body.get("in_reply_to");
    return r != null && r.canConvertToLong() ? r.longValue() : -1;
  }

  /** Returns the body's {@code msg_id}, or -1 when there is none. */
  public long msgId() {
    JsonNode r = body.get("msg_id");
    return r != null && r.canConvertToLong() ? r.longValue() : -1;
  }
}
