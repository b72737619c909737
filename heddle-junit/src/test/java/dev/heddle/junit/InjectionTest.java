package dev.heddle.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Command;
import dev.heddle.Event;
import dev.heddle.ExitStatus;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default lifecycle: each test gets its own scope, host and directory. */
@HeddleTest
class InjectionTest {
  private final Scope constructorScope;
  private final Path constructorDir;
  private Host beforeEachHost;

  InjectionTest(Scope scope, Path dir) {
    this.constructorScope = scope;
    this.constructorDir = dir;
  }

  @BeforeEach
  void setUp(Host host) {
    this.beforeEachHost = host;
  }

  @Test
  void injectsTheSameScopeHostAndDirectoryEverywhereInOneTest(Scope scope, Host host, Path dir) {
    assertSame(constructorScope, scope);
    assertSame(beforeEachHost, host);
    assertEquals(constructorDir, dir);
    assertEquals(
        "InjectionTest.injectsTheSameScopeHostAndDirectoryEverywhereInOneTest", scope.name());
  }

  @Test
  void theDirectoryIsFreshAndEmpty(Path dir) throws Exception {
    assertTrue(Files.isDirectory(dir));
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
    Files.writeString(dir.resolve("x"), "mine");
  }

  @Test
  void theHostRunsAServiceInTheScope(Scope scope, Host host, Path dir) throws Exception {
    LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    scope.events(events::add);
    Path out = dir.resolve("out.txt");
    scope.supervise(Service.named("writer").on(host).command(Command.shell("echo hello > " + out)));
    while (true) {
      Event e = events.poll(10, TimeUnit.SECONDS);
      if (e instanceof Event.Exited x) {
        assertEquals(new ExitStatus.Exited(0), x.status());
        break;
      }
      assertTrue(e != null, "no Exited event within 10 s");
    }
    assertEquals("hello\n", Files.readString(out));
  }
}
