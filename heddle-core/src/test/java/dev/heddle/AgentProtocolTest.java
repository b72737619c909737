package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.agent.internal.protocol.Frame;
import dev.heddle.agent.internal.protocol.FrameCodec;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol errors sent to a real agent get error replies; the agent never crashes. */
class AgentProtocolTest {
  @TempDir Path dir;
  Host host;
  SocketChannel raw;
  OutputStream out;
  DataInputStream in;

  @BeforeEach
  void connectASecondRawClient() throws Exception {
    host = Host.local(dir.resolve("state"));
    raw = SocketChannel.open(StandardProtocolFamily.UNIX);
    raw.connect(UnixDomainSocketAddress.of(host.stateDir().resolve("agent.sock")));
    out = Channels.newOutputStream(raw);
    InputStream is = Channels.newInputStream(raw);
    in = new DataInputStream(is);
  }

  @AfterEach
  void theControllerIsStillServed() throws Exception {
    raw.close();
    HostProcess p = host.spawn(ProcessSpec.builder("after", Command.shell("exit 5")).build());
    assertEquals(new ExitStatus.Exited(5), p.awaitExit());
    host.close();
  }

  private Frame next() throws Exception {
    Frame f = FrameCodec.read(in);
    assertNotNull(f, "the agent closed the connection instead of answering");
    return f;
  }

  private static byte[] framed(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  @Test
  void garbageInsideAFrameIsAnsweredAndTheConnectionStaysUsable() throws Exception {
    out.write(framed(new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 9, (byte) 0xff}));
    Frame error = next();
    assertEquals(Frame.Kind.ERROR, error.kind());
    assertEquals("BAD_FRAME", error.body().get("code"));

    out.write(FrameCodec.encode(Frame.request(7, "ping", Map.of())));
    Frame reply = next();
    assertEquals(7, reply.id());
    assertEquals("NOT_ATTACHED", reply.body().get("code"), "only the controller may ping");
  }

  @Test
  void anUnknownVersionIsNamed() throws Exception {
    byte[] frame = FrameCodec.encode(Frame.request(3, "hello", Map.of()));
    frame[4] = 9; // the version byte
    out.write(frame);
    Frame error = next();
    assertEquals("UNSUPPORTED_VERSION", error.body().get("code"));
    assertTrue(String.valueOf(error.body().get("message")).contains("version 9"));
  }

  @Test
  void anUnknownRequestListsTheKnownOnes() throws Exception {
    out.write(FrameCodec.encode(Frame.request(11, "frobnicate", Map.of())));
    Frame error = next();
    assertEquals(11, error.id());
    assertEquals("UNKNOWN_REQUEST", error.body().get("code"));
    assertTrue(String.valueOf(error.body().get("message")).contains("spawn"));
  }

  @Test
  void aWrongProtocolInHelloIsRefused() throws Exception {
    out.write(FrameCodec.encode(Frame.request(1, "hello", Map.of("protocol", 99L))));
    assertEquals("UNSUPPORTED_VERSION", next().body().get("code"));
  }

  @Test
  void aSecondControllerIsRefused() throws Exception {
    out.write(FrameCodec.encode(Frame.request(1, "hello", Map.of())));
    Frame error = next();
    assertEquals("CONTROLLER_ATTACHED", error.body().get("code"));
  }

  @Test
  void aMistypedFieldNamesTheField() throws Exception {
    // Sent by the real controller connection's agent: the raw client is not attached, so check the
    // message through a spawn with a mistyped field on the raw client after a refused hello.
    out.write(FrameCodec.encode(Frame.request(2, "hello", Map.of("protocol", "one"))));
    Frame error = next();
    assertEquals("BAD_REQUEST", error.body().get("code"));
    assertTrue(
        String.valueOf(error.body().get("message")).contains("'protocol' to be a number"),
        String.valueOf(error.body().get("message")));
  }

  @Test
  void anImpossibleLengthClosesOnlyThatConnection() throws Exception {
    out.write(new byte[] {(byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    Frame error = next();
    assertEquals("BAD_FRAME", error.body().get("code"));
    assertNull(FrameCodec.read(in), "the agent closes a stream it cannot trust");
  }
}
