package dev.heddle.internal.agent;

import dev.heddle.HeddleException;
import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A reply or event body read by the controller. A missing or mistyped field means the agent does
 * not speak this controller's protocol: that is a {@link HeddleException} naming the field.
 */
record Reply(String host, Body body) {

  static Reply of(String host, String type, Map<String, Object> map) {
    return new Reply(host, new Body(type, map));
  }

  boolean has(String field) {
    return body.map().containsKey(field);
  }

  String string(String field) {
    try {
      return body.string(field);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  @Nullable String optString(String field) {
    try {
      return body.optString(field);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  long number(String field) {
    try {
      return body.number(field);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  int intNumber(String field) {
    try {
      return body.intNumber(field);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  boolean flag(String field) {
    try {
      return body.flag(field, false);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  List<String> strings(String field) {
    try {
      return body.strings(field);
    } catch (ProtocolException e) {
      throw malformed(e);
    }
  }

  private HeddleException malformed(ProtocolException e) {
    return new HeddleException(
        host,
        null,
        "AGENT_PROTOCOL",
        "The agent on host '"
            + host
            + "' sent a reply this controller cannot read: "
            + e.getMessage()
            + ". Run the same Heddle version on both sides.",
        e);
  }
}
