package dev.heddle.agent.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The decoder faces bytes from any peer: whatever arrives, it returns a frame or throws {@link
 * ProtocolException}, never anything else (no OutOfMemoryError from a forged length, no
 * IndexOutOfBounds, no StackOverflow from deep nesting).
 */
class FrameCodecFuzzTest {

  @Property(tries = 100_000)
  void arbitraryBytesNeverCrashTheDecoder(@ForAll @Size(max = 512) byte[] payload) {
    decodeSafely(payload);
  }

  @Property(tries = 100_000)
  void mutatedValidFramesNeverCrashTheDecoder(
      @ForAll("frames") Frame frame, @ForAll("mutations") List<int[]> mutations) {
    byte[] wire = FrameCodec.encode(frame);
    byte[] payload = Arrays.copyOfRange(wire, 4, wire.length);
    for (int[] m : mutations) {
      int at = Math.floorMod(m[0], payload.length);
      switch (Math.floorMod(m[1], 3)) {
        case 0 -> payload[at] = (byte) m[2];
        case 1 -> payload = Arrays.copyOf(payload, at);
        default -> payload[at] ^= (byte) (1 << Math.floorMod(m[2], 8));
      }
      if (payload.length == 0) {
        break;
      }
    }
    decodeSafely(payload);
  }

  @Property(tries = 5_000)
  void everyFrameSurvivesARoundTrip(@ForAll("frames") Frame frame) throws Exception {
    byte[] wire = FrameCodec.encode(frame);
    Frame back = FrameCodec.read(new ByteArrayInputStream(wire));
    assertNotNull(back);
    assertEquals(frame.kind(), back.kind());
    assertEquals(frame.id(), back.id());
    assertEquals(frame.type(), back.type());
    assertArrayEquals(FrameCodec.encode(frame), FrameCodec.encode(back));
  }

  @Property(tries = 2_000)
  void lengthPrefixesOutOfRangeAreRejected(@ForAll int length) {
    if (length > 0 && length <= FrameCodec.MAX_FRAME) {
      return;
    }
    byte[] wire = {
      (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
    var e =
        assertThrows(
            ProtocolException.class,
            () -> FrameCodec.readPayload(new DataInputStream(new ByteArrayInputStream(wire))));
    assertEquals(ProtocolException.Code.BAD_FRAME, e.code());
  }

  private static void decodeSafely(byte[] payload) {
    try {
      FrameCodec.decode(payload);
    } catch (ProtocolException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
    }
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    return Arbitraries.integers().array(int[].class).ofSize(3).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(b -> (Object) b));
    Arbitrary<Object> nested =
        Arbitraries.oneOf(
            leaf,
            leaf.list().ofMaxSize(3).map(l -> (Object) l),
            Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6), leaf)
                .ofMaxSize(3)
                .map(m -> (Object) m));
    Arbitrary<Map<String, Object>> body =
        Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), nested)
            .ofMaxSize(5);
    return Combinators.combine(
            Arbitraries.of(Frame.Kind.class),
            Arbitraries.longs(),
            Arbitraries.of("spawn", "stop", "exited", "hello", "tail"),
            body)
        .as((kind, id, type, b) -> new Frame(Frame.VERSION, kind, id, type, b));
  }
}
