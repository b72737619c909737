package dev.heddle.examples.orders;

import java.io.File;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium and chromium-driver, headless, with nothing that reaches for the network. */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** Starts a browser; {@code quit()} it when done. */
  public static ChromeDriver start() {
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .build();
    var options =
        new ChromeOptions()
            .setBinary("/usr/bin/chromium")
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1300,1000");
    return new ChromeDriver(service, options);
  }
}
