package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
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
      case "http" -> {
        String host = body.string("host");
        int port = body.intNumber("port");
        String path = body.string("path");
        int status = (int) body.optNumber("status", 0);
        if (!path.startsWith("/")) {
          throw new ProtocolException(
              ProtocolException.Code.BAD_REQUEST, "http probe path must start with '/': " + path);
        }
        yield new HttpProbe(host, port, path, status);
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
          pattern =
              Pattern.compile(body.string("pattern"), Pattern.MULTILINE); // ^ and $ at each line
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
              "unknown probe kind '" + kind + "'; known: tcp, http, file, log");
    };
  }

  /**
   * One HTTP/1.1 GET per attempt (the JDK's HttpURLConnection: no redirects followed, 500 ms to
   * connect and to read); ready on {@code status}, or on any 2xx when it is 0. Remembers the last
   * answer for the timeout message.
   */
  private static final class HttpProbe implements Probe {
    private final String host;
    private final int port;
    private final String path;
    private final int status;
    private volatile String last = "no answer yet";

    HttpProbe(String host, int port, String path, int status) {
      this.host = host;
      this.port = port;
      this.path = path;
      this.status = status;
    }

    @Override
    public boolean ready(ManagedProcess p) {
      HttpURLConnection c = null;
      try {
        c =
            (HttpURLConnection)
                new URI("http", null, host, port, path, null, null).toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(500);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        int got = c.getResponseCode();
        last = "last answer: " + got;
        return status == 0 ? got >= 200 && got < 300 : got == status;
      } catch (IOException | URISyntaxException | IllegalArgumentException e) {
        last = "last attempt: " + e;
        return false;
      } finally {
        if (c != null) {
          c.disconnect();
        }
      }
    }

    @Override
    public String describe() {
      return "HTTP GET http://"
          + host
          + ":"
          + port
          + path
          + " to answer "
          + (status == 0 ? "2xx" : String.valueOf(status))
          + " ("
          + last
          + ")";
    }
  }
}
