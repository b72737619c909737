package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Host;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import dev.heddle.Signal;
import dev.heddle.SocketSpec;
import dev.heddle.console.live.Console;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium (Debian's chromium and chromium-driver) on the running
 * orders system: its services on the page; kill -9 of orderd → its restart count and state change
 * without a reload; the restart button → a new pid; the log view shows the line the new orderd just
 * printed. A screenshot is kept in {@code target/dashboard.png}.
 */
@HeddleTest(allowThreads = "UrlChecker-") // Selenium keeps a pool for the JVM
class DashboardBrowserTest {
  Scope scope;
  Orderd orderd;
  Console console;
  WebDriver driver;

  @BeforeEach
  void start(Scope scope, Host host, Path dir) throws Exception {
    this.scope = scope;
    console = Console.start(scope, "orders", dir); // first: it sees every event
    ListeningSocket sock = host.listen(SocketSpec.tcp("127.0.0.1", 0));
    orderd =
        Orders.startOrderd(
            scope,
            host,
            Orders.startPositiond(scope, host, dir.resolve("positiond")),
            sock,
            OrderDb.make(host, dir.resolve("orders.db")),
            Optional.empty(),
            OrderdOptions.defaults());
    driver = HeadlessChromium.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      Path shot = Path.of("target", "dashboard.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.quit();
      console.close();
    }
  }

  String cell(String service, String column) {
    return driver.findElement(By.cssSelector("#svc-" + service + " td." + column)).getText();
  }

  void waitFor(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .withMessage(what)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }

  @Test
  void theDashboardFollowsTheLiveSystem() throws Exception {
    driver.get(console.url());
    waitFor("the services on the page", () -> cell("orderd-1", "state").equals("ready"));
    assertEquals("ready", cell("positiond", "state"));
    waitFor(
        "the system's name", () -> driver.findElement(By.id("system")).getText().equals("orders"));
    assertTrue(cell("orderd-1", "deps").contains("positiond"), cell("orderd-1", "deps"));
    ServiceHandle worker = orderd.workers().getFirst();
    assertEquals(String.valueOf(worker.current().pid()), cell("orderd-1", "pid"));

    // kill -9 from outside: the page shows the restart without a reload
    int killed = worker.current().pid();
    worker.current().signal(Signal.KILL);
    waitFor(
        "restart count 1 and ready",
        () ->
            cell("orderd-1", "restarts").equals("1") && cell("orderd-1", "state").equals("ready"));
    assertTrue(cell("orderd-1", "lastexit").contains("KILL"), cell("orderd-1", "lastexit"));
    assertNotEquals(String.valueOf(killed), cell("orderd-1", "pid"));

    // follow its log, press restart: a new pid, and the log view shows what the new one printed
    driver.findElement(By.cssSelector("#svc-orderd-1 button.logs")).click();
    waitFor(
        "the log view", () -> driver.findElement(By.id("log")).getText().contains("orderd ready"));
    String before = cell("orderd-1", "pid");
    WebElement restart = driver.findElement(By.cssSelector("#svc-orderd-1 button.restart"));
    restart.click();
    waitFor("a new pid", () -> !cell("orderd-1", "pid").equals(before));
    String pid = cell("orderd-1", "pid");
    assertEquals(String.valueOf(worker.current().pid()), pid);
    waitFor(
        "the new incarnation's line in the log view",
        () -> driver.findElement(By.id("log")).getText().contains("pid " + pid));
    assertTrue(
        !driver.findElement(By.id("log")).getText().contains("undefined"),
        "the log view shows other streams' messages: "
            + driver.findElement(By.id("log")).getText());
    assertTrue(
        driver.findElement(By.id("events")).getText().contains("Exited orderd-1#1"),
        driver.findElement(By.id("events")).getText());
  }
}
