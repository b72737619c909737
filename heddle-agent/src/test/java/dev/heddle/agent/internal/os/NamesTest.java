package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Signal and errno names, and the message shape of OsException. */
class NamesTest {
  @Test
  void signalNames() {
    assertEquals("SIGTERM", Signals.name(Signals.TERM));
    assertEquals("SIGKILL", Signals.name(9));
    assertEquals("SIGSYS", Signals.name(31));
    assertEquals("SIGRTMIN", Signals.name(34));
    assertEquals("SIGRTMIN+2", Signals.name(36));
    assertEquals("signal 0", Signals.name(0));
    assertEquals("signal 99", Signals.name(99));
  }

  @Test
  void signalParsing() {
    assertEquals(15, Signals.parse("TERM"));
    assertEquals(15, Signals.parse("SIGTERM"));
    assertEquals(15, Signals.parse("sigterm"));
    assertEquals(15, Signals.parse(" 15 "));
    assertEquals(Signals.HUP, Signals.parse("hup"));
    assertEquals(36, Signals.parse("SIGRTMIN+2"));
    var e = assertThrows(IllegalArgumentException.class, () -> Signals.parse("TERMINATE"));
    assertEquals(
        "'TERMINATE' is not a signal: use a name such as TERM or SIGTERM, or a number from 1 to 64"
            + " (except 32 and 33)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Signals.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> Signals.parse("32"));
    assertThrows(IllegalArgumentException.class, () -> Signals.parse("99999999999"));
    assertThrows(IllegalArgumentException.class, () -> Signals.parse(""));
  }

  @Test
  void errnoNames() {
    assertEquals("EADDRINUSE", Errno.name(Errno.EADDRINUSE));
    assertEquals("Address already in use", Errno.describe(Errno.EADDRINUSE));
    assertEquals("ENOENT", Errno.name(Errno.ENOENT));
    assertEquals("ECHILD", Errno.name(10));
    assertEquals("ENOTDIR", Errno.name(Errno.ENOTDIR));
    assertEquals("errno 9999", Errno.name(9999));
    assertEquals("Unknown error 9999", Errno.describe(9999));
  }

  @Test
  void osExceptionMessage() {
    var e = new OsException("bind", "127.0.0.1:7000", Errno.EADDRINUSE);
    assertEquals(
        "bind(127.0.0.1:7000) failed: EADDRINUSE (Address already in use)", e.getMessage());
    assertEquals("bind", e.call());
    assertEquals(98, e.errno());
    assertEquals("EADDRINUSE", e.errnoName());
  }
}
