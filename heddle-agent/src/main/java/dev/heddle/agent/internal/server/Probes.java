package dev.heddle.agent.internal.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** How long to wait between attempts: cheap local checks are polled more often. */
    default long intervalMs() {
      return 10;
    }
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

          @Override
          public long intervalMs() {
            return 2; // one stat
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
        yield new LogProbe(pattern, stream);
      }
      default ->
          throw new ProtocolException(
              ProtocolException.Code.BAD_REQUEST,
              "unknown probe kind '" + kind + "'; known: tcp, http, file, log");
    };
  }

  /**
   * A line of a log matching a pattern. Each attempt reads only what was appended since the last
   * one (one stat when nothing was), keeping an unfinished last line for the next attempt, so a
   * chatty service's growing log is not read again and again; starts over when the file shrinks
   * (rotated).
   */
  private static final class LogProbe implements Probe {
    private final Pattern pattern;
    private final String stream;
    private long offset;
    private String unfinished = "";

    LogProbe(Pattern pattern, String stream) {
      this.pattern = pattern;
      this.stream = stream;
    }

    @Override
    public boolean ready(ManagedProcess p) {
      Path log = p.log(stream);
      try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size < offset) { // rotated: the file is a new one
          offset = 0;
          unfinished = "";
        }
        if (size == offset) {
          return false;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
        ch.read(buf, offset);
        offset += buf.position();
        String text = unfinished + new String(buf.array(), 0, buf.position(), UTF_8);
        int end = text.lastIndexOf('\n');
        unfinished = end < 0 ? text : text.substring(end + 1);
        // complete lines, and the unfinished one too: a prompt without a newline also counts
        return pattern.matcher(text).find();
      } catch (IOException | RuntimeException e) {
        return false; // not created yet
      }
    }

    @Override
    public String describe() {
      return "a line of " + stream + " to match /" + pattern + "/";
    }

    @Override
    public long intervalMs() {
      return 2; // one stat while nothing is appended
    }
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
