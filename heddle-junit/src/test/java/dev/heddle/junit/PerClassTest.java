package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Host;
import dev.heddle.RestartPolicy;
import dev.heddle.Scope;
import dev.heddle.Service;
import dev.heddle.ServiceHandle;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code PER_CLASS}: one scope, host and directory for the class; a service lives across tests. */
@HeddleTest(scope = HeddleTest.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassTest {
  static Scope classScope;
  static Host classHost;
  static Path classDir;
  static ServiceHandle sleeper;

  @BeforeAll
  static void startSleeper(Scope scope, Host host, Path dir) throws InterruptedException {
    classScope = scope;
    classHost = host;
    classDir = dir;
    sleeper =
        scope.supervise(
            Service.named("sleeper")
                .on(host)
                .command(Command.of("sleep", "60"))
                .restart(RestartPolicy.permanent()));
  }

  @Test
  @Order(1)
  void theFirstTestSeesTheClassScope(Scope scope, Host host, Path dir) {
    assertSame(classScope, scope);
    assertSame(classHost, host);
    assertEquals(classDir, dir);
    assertEquals("PerClassTest", scope.name());
    assertTrue(sleeper.current().isAlive());
  }

  @Test
  @Order(2)
  void theServiceOutlivesOneTest(Scope scope) {
    assertSame(classScope, scope);
    assertTrue(sleeper.current().isAlive());
    assertEquals(1, sleeper.current().incarnation());
  }
}
