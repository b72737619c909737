package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Scope#onFailure}: told once, at once, of the first failure (a child's counts). */
class ScopeOnFailureTest {

  @Test
  void aListenerHearsTheFirstFailureOnceWhenATaskFails() throws Exception {
    List<Throwable> heard = new CopyOnWriteArrayList<>();
    CountDownLatch told = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    Scope scope = Scope.open("s");
    scope.onFailure(
        f -> {
          heard.add(f);
          told.countDown();
        });
    scope.start(
        "failer",
        ready -> {
          ready.started(null);
          throw boom;
        });
    assertEquals(true, told.await(5, TimeUnit.SECONDS));
    scope.fail(new IllegalStateException("later"));
    assertSame(boom, assertThrows(IllegalStateException.class, scope::close));
    assertEquals(List.of(boom), heard);
  }

  @Test
  void aListenerAddedAfterTheFailureIsToldAtOnceAndAChildsFailureCounts() {
    Scope scope = Scope.open("parent");
    Scope child = scope.child("child");
    IllegalStateException boom = new IllegalStateException("boom");
    child.fail(boom);
    List<Throwable> heard = new CopyOnWriteArrayList<>();
    scope.onFailure(heard::add);
    assertEquals(List.of(boom), heard);
    assertThrows(IllegalStateException.class, scope::close);
  }
}
