package dev.heddle.examples.orders.orderd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The protocol's parser and line reader, without processes. */
class RequestTest {
  @Test
  void parsesEachRequest() throws Exception {
    assertEquals(
        new Request.Order(Request.Side.BUY, "AAPL", 10, new BigDecimal("187.25")),
        Request.parse("BUY AAPL 10 187.25"));
    assertEquals(-3, ((Request.Order) Request.parse("SELL X 3 1.0")).delta());
    assertEquals(new Request.Get(42), Request.parse("GET 42"));
    assertEquals(new Request.Position("MSFT"), Request.parse("POSITION MSFT"));
  }

  @Test
  void refusesWhatIsNotARequest() {
    for (String bad :
        new String[] {
          "BUY AAPL 1000000001 1",
          "BUY AAPL 01 1",
          "BUY AAPL 1 1e5",
          "BUY AAPL 1 .5",
          "BUY AAPL 1 0.000000001",
          "GET 0",
          "GET -1",
          "POSITION A1",
          "POSITION AAPL extra"
        }) {
      assertThrows(Request.Malformed.class, () -> Request.parse(bad), bad);
    }
  }

  @Test
  void theLineReaderSkipsOverlongLinesAndReportsBadUtf8() throws Exception {
    byte[] input =
        ("ok\r\n" + "x".repeat(100) + "\nafter\n" + "tail-without-newline")
            .getBytes(StandardCharsets.UTF_8);
    LineReader r = new LineReader(Channels.newChannel(new ByteArrayInputStream(input)), 10);
    assertEquals(new LineReader.Line("ok"), r.next());
    assertEquals(new LineReader.Bad("line longer than 10 bytes"), r.next());
    assertEquals(new LineReader.Line("after"), r.next());
    assertEquals(null, r.next());
    LineReader u =
        new LineReader(
            Channels.newChannel(new ByteArrayInputStream(new byte[] {(byte) 0xff, '\n'})), 10);
    assertEquals(new LineReader.Bad("line is not valid UTF-8"), u.next());
  }
}
