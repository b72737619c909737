package dev.heddle.examples.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.ExitStatus;
import dev.heddle.Host;
import dev.heddle.HostProcess;
import dev.heddle.LogStream;
import dev.heddle.ProcessSpec;
import dev.heddle.examples.orders.client.LoadMain;
import dev.heddle.examples.orders.orderd.OrderdMain;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The service mains added for --hosts refuse bad arguments with exit 2 and a message saying why.
 */
@HeddleTest
class MainsBadInputTest {
  @Test
  void theLoadClientNamesWhatIsWrong(Host host, Path dir) throws Exception {
    refused(host, dir, "load: --target HOST:PORT is required", LoadMain.class, "--clients", "2");
    refused(host, dir, "load: unknown argument --rate", LoadMain.class, "--rate", "5");
    refused(host, dir, "load: --clients needs a value", LoadMain.class, "--clients");
    refused(host, dir, "load: a number was expected", LoadMain.class, "--target", "10.77.0.2:http");
  }

  @Test
  void orderdNamesABadPositiondAddress(Host host, Path dir) throws Exception {
    refused(
        host,
        dir,
        "orderd: --positiond tcp:HOST:PORT needs a host and a port, got 'tcp:nohost'",
        OrderdMain.class,
        "--db",
        dir.resolve("x.db"),
        "--positiond",
        "tcp:nohost",
        "--limit",
        "10");
  }

  private static void refused(Host host, Path dir, String message, Class<?> main, Object... args)
      throws Exception {
    HostProcess p =
        host.spawn(ProcessSpec.builder("bad", JavaCommand.of(host, main, dir).args(args)).build());
    assertEquals(new ExitStatus.Exited(2), p.awaitExit());
    String err = String.join("\n", p.tail(LogStream.STDERR, 10));
    assertTrue(err.contains(message), err);
  }
}
