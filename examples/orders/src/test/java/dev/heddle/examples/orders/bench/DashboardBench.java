package dev.heddle.examples.orders.bench;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.console.live.Console;
import dev.heddle.examples.orders.HeadlessChromium;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 6's dashboard benchmark (run by {@code bench/console}, never by the tests): a system of 500
 * services plus one that prints 10,000 lines a second, its dashboard open in headless Chromium and
 * following that service's log. Measures (1) page update latency: kill -9 of a random service → the
 * page's row shows the restart (polled in the page every 5 ms by a script), and (2) the controller
 * JVM's CPU over 10 s while the page follows the chatty log.
 */
public final class DashboardBench {
  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int kills = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int linesPerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    Path base = Files.createTempDirectory("heddle-dashboard-bench");
    Host host = Host.local(base.resolve("agent"));
    Scope scope = Scope.open("bench");
    Console console = Console.start(scope, "bench", base.resolve("state"));
    ChromeDriver driver = null;
    try {
      RestartPolicy policy =
          RestartPolicy.permanent()
              .withIntensity(1000, Duration.ofSeconds(60))
              .withBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1))
              .withJitter(0);
      long t0 = System.nanoTime();
      List<ServiceHandle> handles = new ArrayList<>();
      try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<ServiceHandle>> fs = new ArrayList<>();
        for (int i = 0; i < services; i++) {
          String name = "s" + i;
          fs.add(
              ex.submit(
                  () ->
                      scope.supervise(
                          Service.named(name)
                              .on(host)
                              .command(Command.of("sleep", "3600"))
                              .restart(policy))));
        }
        for (Future<ServiceHandle> f : fs) {
          handles.add(f.get());
        }
      }
      // 100 lines every 10 ms (python3 flushes each batch)
      int batch = Math.max(1, linesPerSecond / 100);
      scope.supervise(
          Service.named("chatty")
              .on(host)
              .command(
                  Command.of(
                      "python3",
                      "-c",
                      "import sys, time\n"
                          + "n = 0\n"
                          + "while True:\n"
                          + "    t = time.monotonic()\n"
                          + "    sys.stdout.write(''.join('line %d of a chatty service\\n' % (n + i)"
                          + " for i in range("
                          + batch
                          + ")))\n"
                          + "    sys.stdout.flush()\n"
                          + "    n += "
                          + batch
                          + "\n"
                          + "    time.sleep(max(0, 0.01 - (time.monotonic() - t)))\n"))
              .restart(policy));
      System.out.printf(
          "# %d services started in %.1f s; chatty prints %d lines/s%n",
          services, (System.nanoTime() - t0) / 1e9, linesPerSecond);

      driver = HeadlessChromium.start();
      driver.get(console.url());
      JavascriptExecutor js = driver;
      long loadStart = System.nanoTime();
      while (driver.findElements(By.cssSelector("#svc-chatty td.state")).isEmpty()) {
        Thread.sleep(20);
      }
      System.out.printf(
          "# page shows all %d rows after %.0f ms%n",
          services + 1, (System.nanoTime() - loadStart) / 1e6);
      driver.findElement(By.cssSelector("#svc-chatty button.logs")).click();
      Thread.sleep(2000);

      // (2) controller CPU while the page follows the chatty log and refreshes
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Thread.sleep(10_000);
      double cpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0) * 100;
      Object logLines =
          js.executeScript(
              "return document.getElementById('log').textContent.split('\\n').length - 1");
      System.out.printf(
          "dashboard: controller CPU while following %d lines/s with %d services: %.1f %% of a"
              + " core (10 s); log view holds %s lines%n",
          linesPerSecond, services + 1, cpu, logLines);

      // (1) kill -9 → the page shows the restart
      Random random = new Random(7);
      double[] latency = new double[kills];
      for (int k = 0; k < kills; k++) {
        ServiceHandle victim = handles.get(random.nextInt(handles.size()));
        String cell = "#svc-" + victim.name() + " td.restarts";
        String before = driver.findElement(By.cssSelector(cell)).getText();
        // the page records when the cell changes, so the poll's own round trips do not count
        js.executeScript(
            "window.__changed = 0; const c = document.querySelector(arguments[0]);"
                + " const b = c.textContent; const t = setInterval(() => {"
                + " if (c.textContent !== b) { window.__changed = performance.timeOrigin +"
                + " performance.now(); clearInterval(t); } }, 5);",
            cell);
        double killedAt = System.currentTimeMillis();
        victim.current().signal(Signal.KILL);
        double changed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (changed == 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
          changed = ((Number) js.executeScript("return window.__changed")).doubleValue();
        }
        latency[k] = changed - killedAt;
        if (changed == 0) {
          latency[k] = Double.NaN;
          System.out.println("kill " + (k + 1) + ": the page did not change within 20 s");
        }
        Thread.sleep(300);
        if (before.equals(driver.findElement(By.cssSelector(cell)).getText())) {
          System.out.println("kill " + (k + 1) + ": restart count unchanged");
        }
      }
      double[] v = Arrays.stream(latency).filter(d -> !Double.isNaN(d)).sorted().toArray();
      System.out.printf(
          "dashboard: kill -9 → the page shows the restart: median=%.0f ms p10=%.0f p90=%.0f"
              + " min=%.0f max=%.0f n=%d (of %d)%n",
          q(v, 0.5), q(v, 0.1), q(v, 0.9), v[0], v[v.length - 1], v.length, kills);
    } finally {
      if (driver != null) {
        driver.quit();
      }
      console.close();
      scope.close();
      host.close();
    }
  }

  private static double q(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
