package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Readiness checks run by the agent on its own host, so a service bound to that host's loopback is
 * still probeable from a remote controller. Each check is one attempt; the caller retries.
 */
final class Probes {
  private Probes() {}

  interface Probe {
    boolean ready(ManagedProcess p);

    String describe();
  }

  static Probe parse(Body body) throws ProtocolException {
    String kind = body.string("kind");
    return switch (kind) {
      case "tcp" -> {
        String host = body.string("host");
        int port = body.intNumber("port");
        yield new Probe() {
          @Override
          public boolean ready(ManagedProcess p) {
            try (SocketChannel ch = SocketChannel.open()) {
              ch.socket().connect(new InetSocketAddress(host, port), 200);
              return true;
            } catch (IOException e) {
              return false;
            }
          }

          @Override
          public String describe() {
            return "TCP port " + host + ":" + port + " to accept connections";
          }
        };
      }
      case "file" -> {
        Path path = Path.of(body.string("path"));
        yield new Probe() {
          @Override
          public boolean ready(ManagedProcess p) {
            return Files.exists(path);
          }

          @Override
          public String describe() {
            return "file " + path + " to exist";
          }
        };
      }
      case "log" -> {
        Pattern pattern;
        try {
          pattern = Pattern.compile(body.string("pattern"));
        } catch (PatternSyntaxException e) {
          throw new ProtocolException(
              ProtocolException.Code.BAD_REQUEST, "bad log pattern: " + e.getDescription());
        }
        String stream = body.optString("stream") == null ? "stdout" : body.string("stream");
        yield new Probe() {
          @Override
          public boolean ready(ManagedProcess p) {
            try {
              Path log = p.log(stream);
              return Files.exists(log) && pattern.matcher(Files.readString(log)).find();
            } catch (IOException | java.io.UncheckedIOException e) {
              return false;
            }
          }

          @Override
          public String describe() {
            return "a line of " + stream + " to match /" + pattern + "/";
          }
        };
      }
      default ->
          throw new ProtocolException(
              ProtocolException.Code.BAD_REQUEST,
              "unknown probe kind '" + kind + "'; known: tcp, file, log");
    };
  }
}
