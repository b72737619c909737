package dev.heddle.sim.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.net.Message;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireTest {
  private static Wire.Parsed parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return Wire.parse(b, 0, b.length);
  }

  @Test
  void aNodesLineIsForwardedWithOnlyTheIdAdded() {
    Wire.Valid v =
        assertInstanceOf(
            Wire.Valid.class,
            parse("  {\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"x\",\"msg_id\":3}}\r"));
    assertEquals("n1", v.src());
    assertEquals(3, v.body().get("msg_id").asInt());
    String out =
        new String(
            Wire.encode(new Message(26, v.src(), v.dest(), v.body(), v.raw())),
            StandardCharsets.UTF_8);
    assertEquals(
        "{\"id\":26,\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"x\",\"msg_id\":3}}\n", out);
  }

  @Test
  void aLineWithItsOwnIdIsReencoded() {
    Wire.Valid v =
        assertInstanceOf(
            Wire.Valid.class, parse("{\"id\":1,\"src\":\"n1\",\"dest\":\"c2\",\"body\":{}}"));
    assertNull(v.raw());
    String out =
        new String(
            Wire.encode(new Message(7, v.src(), v.dest(), v.body(), v.raw())),
            StandardCharsets.UTF_8);
    assertEquals("{\"id\":7,\"src\":\"n1\",\"dest\":\"c2\",\"body\":{}}\n", out);
  }

  @Test
  void generatedMessagesAreEncodedInMaelstromsKeyOrder() {
    String out =
        new String(
            Wire.encode(new Message(1, "c0", "n0", Json.object().put("type", "init"), null)),
            StandardCharsets.UTF_8);
    assertEquals("{\"id\":1,\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\"}}\n", out);
  }

  @Test
  void badLinesAreClassifiedAsMaelstromDoes() {
    assertEquals(
        Problems.Kind.LINE_NOT_VALID_JSON,
        assertInstanceOf(Wire.Invalid.class, parse("hello world")).kind());
    assertEquals(
        Problems.Kind.LINE_NOT_VALID_JSON,
        assertInstanceOf(Wire.Invalid.class, parse("[1,2]")).kind());
    assertEquals(
        Problems.Kind.MALFORMED_MESSAGE,
        assertInstanceOf(Wire.Invalid.class, parse("{\"src\":\"n1\",\"body\":{}}")).kind());
    assertEquals(
        Problems.Kind.MALFORMED_MESSAGE,
        assertInstanceOf(Wire.Invalid.class, parse("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":5}"))
            .kind());
    assertEquals(
        Problems.Kind.MALFORMED_MESSAGE,
        assertInstanceOf(Wire.Invalid.class, parse("{\"src\":1,\"dest\":\"n2\",\"body\":{}}"))
            .kind());
  }
}
