package dev.heddle.junit.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's live threads, virtual ones included (which {@link Thread#getAllStackTraces()} omits),
 * read from the JDK's JSON thread dump.
 */
final class Threads {
  private Threads() {}

  /** One live thread: its name and where it runs now (its innermost frame outside the JDK). */
  record Live(String name, boolean virtual, String where) {}

  private static final Pattern THREAD =
      Pattern.compile(
          "\"tid\": \"(\\d+)\",\\s*\"time\": \"[^\"]*\",\\s*(\"virtual\": true,\\s*)?"
              + "\"name\": \"((?:[^\"\\\\]|\\\\.)*)\"[^\\[]*\"stack\": \\[([^\\]]*)\\]");
  private static final Pattern FRAME = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Every live thread by id. Takes a thread dump (tens of milliseconds). */
  static Map<Long, Live> snapshot() {
    Path file;
    try {
      Path dir = Files.createTempDirectory("heddle-threads");
      file = dir.resolve("dump.json");
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return parse(Files.readString(file));
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot take a thread dump: " + e, e);
    }
  }

  static Map<Long, Live> parse(String json) {
    Map<Long, Live> out = new LinkedHashMap<>();
    Matcher m = THREAD.matcher(json);
    while (m.find()) {
      String where = "";
      Matcher f = FRAME.matcher(m.group(4));
      while (f.find()) {
        String frame = f.group(1).replace("\\/", "/");
        if (where.isEmpty()) {
          where = frame;
        }
        if (!frame.startsWith("java.base/")) {
          where = frame;
          break;
        }
      }
      out.put(
          Long.parseLong(m.group(1)),
          new Live(m.group(3).replace("\\/", "/"), m.group(2) != null, where));
    }
    return out;
  }
}
