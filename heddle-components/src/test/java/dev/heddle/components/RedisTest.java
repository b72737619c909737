package dev.heddle.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.HeddleException;
import dev.heddle.Host;
import dev.heddle.Scope;
import dev.heddle.junit.HeddleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Debian's redis-server, started, used, killed and restarted with its data. */
@HeddleTest
class RedisTest {

  @Test
  void keepsAcknowledgedWritesAcrossKillNine(Scope scope, Host host, Path dir) throws Exception {
    ReadyEvents events = new ReadyEvents(scope);
    Redis redis = Redis.start(scope, host, dir.resolve("redis"));
    try (RespClient c = new RespClient(redis)) {
      assertEquals("OK", c.call("SET", "greeting", "hello"));
      assertEquals("hello", c.call("GET", "greeting"));
    }
    int before = redis.service().current().pid();
    events.killAndAwaitRestart(redis.service());
    assertNotEquals(before, redis.service().current().pid());
    try (RespClient c = new RespClient(redis)) {
      assertEquals("hello", c.call("GET", "greeting"));
    }
    assertTrue(Files.isDirectory(dir.resolve("redis/appendonlydir")));
  }

  @Test
  void twoInstancesSideBySide(Scope scope, Host host, Path dir) throws Exception {
    Redis a = Redis.start(scope, host, dir.resolve("a"));
    Redis b = Redis.start(scope, host, dir.resolve("b"));
    assertNotEquals(a.port(), b.port());
    try (RespClient ca = new RespClient(a);
        RespClient cb = new RespClient(b)) {
      ca.call("SET", "k", "a");
      cb.call("SET", "k", "b");
      assertEquals("a", ca.call("GET", "k"));
      assertEquals("b", cb.call("GET", "k"));
    }
  }

  @Test
  void missingBinaryNamesTheDebianPackage(Scope scope, Host host, Path dir) {
    var e =
        assertThrows(
            HeddleException.class,
            () -> Redis.start(scope, host, dir.resolve("r"), Path.of("/nonexistent/redis-server")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("apt-get install redis-server"), e.getMessage());
  }

  @Test
  void aServerThatDiesBeforeAnsweringIsNotReady(Host host, Path dir) throws Exception {
    try (Scope own = Scope.open("not-redis")) {
      var e =
          assertThrows(
              HeddleException.class,
              () -> Redis.start(own, host, dir.resolve("r"), Path.of("/bin/false")));
      assertEquals("NOT_READY", e.code());
      assertTrue(e.getMessage().contains("to answer PING with +PONG"), e.getMessage());
    }
  }

  @Test
  void unwritableDataDirIsAClearError(Scope scope, Host host, Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    var e =
        assertThrows(HeddleException.class, () -> Redis.start(scope, host, file.resolve("data")));
    assertEquals("COMPONENT", e.code());
    assertTrue(e.getMessage().contains("as redis's data directory"), e.getMessage());
  }
}
