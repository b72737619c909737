package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heddle.examples.orders.client.Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orders --hosts h1,h2,h3} as a user runs it, on the fake hosts of {@code testhosts/up}:
 * positiond runs in h1's network namespace, orderd in h2's (reachable at h2's address), the load
 * client in h3's; orders flow; a remote orderd killed with -9 is restarted by policy on h2; Ctrl-C
 * stops every remote process.
 */
class AcrossHostsTest {
  static final Path HOSTS =
      Path.of(System.getenv().getOrDefault("HEDDLE_TESTHOSTS_DIR", "/var/lib/heddle-testhosts"));

  @TempDir Path dir;

  @BeforeAll
  static void hostsUp() throws Exception {
    if (Files.exists(HOSTS.resolve("known_hosts"))
        && Files.readAllLines(HOSTS.resolve("hosts")).size() >= 3) {
      return;
    }
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs the fake hosts of testhosts/up, which needs root: run `sudo testhosts/up 3`");
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("testhosts/up"))) {
      root = root.getParent();
    }
    Process p =
        new ProcessBuilder(root.resolve("testhosts/up").toString(), "3").inheritIO().start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "testhosts/up 3 failed");
  }

  @Test
  void theSystemRunsAcrossThreeHostsAndAKilledRemoteServiceIsRestarted() throws Exception {
    Process orders = start("--hosts", "h1,h2,h3", "--port", "0", "--state-dir", dir.toString());
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = readLines(orders, lines);
    try {
      awaitLine(lines, "load#1 ready", orders);
      Map<String, Long> pids = pids(lines);
      assertEquals(netns("h1"), netnsOf(pids.get("positiond")), "positiond is not on h1");
      assertEquals(netns("h2"), netnsOf(pids.get("orderd-1")), "orderd is not on h2");
      assertEquals(netns("h3"), netnsOf(pids.get("load")), "the load client is not on h3");
      InetSocketAddress orderd = address(lines);
      assertEquals("10.77.0.2", orderd.getHostString());

      // this program reaches orderd at h2's address; the load client's orders are there too
      String before = positions(orderd);
      try (Client c = new Client(orderd)) {
        assertTrue(c.send("BUY ZZZ 7 10.25").startsWith("ACCEPTED "));
        assertEquals("POSITION ZZZ 7", c.send("POSITION ZZZ"));
      }
      assertTrue(eventually(() -> !positions(orderd).equals(before)), "the load sends nothing");

      // a remote crash is restarted by policy, on its host
      new ProcessBuilder("kill", "-9", Long.toString(pids.get("orderd-1"))).start().waitFor();
      awaitLine(lines, "orderd-1#2 ready", orders);
      long restarted = pids(lines).get("orderd-1");
      assertNotEquals(pids.get("orderd-1"), restarted);
      assertEquals(netns("h2"), netnsOf(restarted));
      String after = positions(orderd);
      assertTrue(eventually(() -> !positions(orderd).equals(after)), "the load stopped");
      try (Client c = new Client(orderd)) {
        assertEquals("POSITION ZZZ 7", c.send("POSITION ZZZ"), "an order was lost");
      }

      // Ctrl-C stops everything, on every host
      new ProcessBuilder("kill", "-INT", Long.toString(orders.pid())).start().waitFor();
      assertTrue(
          orders.waitFor(60, TimeUnit.SECONDS),
          "bin/orders did not stop:\n" + String.join("\n", lines));
      assertEquals(130, orders.exitValue(), "the JVM's status after SIGINT"); // 128 + 2
      reader.join(5_000);
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("positiond#1 stopped")),
          String.join("\n", lines));
      for (long pid : List.of(pids.get("positiond"), restarted, pids.get("load"))) {
        assertTrue(eventually(() -> !alive(pid)), pid + " outlived bin/orders");
      }
    } finally {
      orders.destroyForcibly();
      reader.join(5_000);
    }
  }

  @Test
  void anUnknownHostIsNamedAndNothingStarts() throws Exception {
    Process orders = start("--hosts", "h1,h9,h3", "--port", "0");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = readLines(orders, lines);
    assertTrue(orders.waitFor(60, TimeUnit.SECONDS));
    reader.join(5_000);
    assertEquals(1, orders.exitValue());
    String all = String.join("\n", lines);
    assertTrue(all.contains("no fake host 'h9'"), all);
    assertTrue(all.contains("testhosts/up"), all);
  }

  private static Process start(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                OrdersMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  private static Thread readLines(Process p, List<String> lines) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(reading failed: " + e + ")");
              }
            });
  }

  private static void awaitLine(List<String> lines, String part, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (lines.stream().noneMatch(l -> l.contains(part))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no line with '" + part + "':\n" + String.join("\n", lines));
      }
      Thread.sleep(50);
    }
  }

  /** The latest pid of each service, from "orders: orderd-1#2 started, pid 123". */
  private static Map<String, Long> pids(List<String> lines) {
    Pattern started = Pattern.compile("orders: (\\S+)#\\d+ started, pid (\\d+)");
    Map<String, Long> pids = new java.util.HashMap<>();
    for (String line : lines) {
      Matcher m = started.matcher(line);
      if (m.find()) {
        pids.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    return pids;
  }

  private static InetSocketAddress address(List<String> lines) {
    Pattern listening = Pattern.compile("listening on ([0-9.]+):(\\d+)");
    for (String line : lines) {
      Matcher m = listening.matcher(line);
      if (m.find()) {
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    throw new AssertionError("no address:\n" + String.join("\n", lines));
  }

  private static String positions(InetSocketAddress orderd) {
    try (Client c = new Client(orderd)) {
      return c.send("POSITION AAA") + c.send("POSITION BBB") + c.send("POSITION CCC");
    } catch (IOException e) {
      return "unreachable: " + e;
    }
  }

  private static String netns(String name) throws IOException {
    return Files.readAttributes(Path.of("/run/netns", name), "unix:ino").get("ino").toString();
  }

  private static String netnsOf(long pid) throws IOException {
    return Files.readAttributes(Path.of("/proc/" + pid + "/ns/net"), "unix:ino")
        .get("ino")
        .toString();
  }

  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).charAt(0) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean eventually(java.util.function.BooleanSupplier check)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
