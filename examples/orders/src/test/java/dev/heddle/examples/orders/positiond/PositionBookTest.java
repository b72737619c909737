package dev.heddle.examples.orders.positiond;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The book's rules and its log, without processes. */
class PositionBookTest {
  @TempDir Path dir;

  @Test
  void appliesWithinTheLimitAndSurvivesReopening() throws IOException {
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertTrue(b.apply(1, "AAA", 60, 100));
      assertTrue(b.apply(2, "AAA", -160, 100));
      assertFalse(b.apply(3, "AAA", -1, 100), "past -100");
      assertTrue(b.apply(3, "BBB", 5, 100));
      assertEquals(-100, b.position("AAA"));
    }
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(-100, b.position("AAA"));
      assertEquals(5, b.position("BBB"));
    }
  }

  @Test
  void anEntryFromATransactionThatNeverCommittedIsReplacedByTheIdsNextUse() throws IOException {
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertTrue(b.apply(1, "AAA", 10, 100));
      assertTrue(b.apply(2, "AAA", 50, 100)); // orderd crashed before committing 2
      assertTrue(b.apply(2, "BBB", 7, 100)); // the next order got id 2 again
      assertEquals(10, b.position("AAA"));
      assertEquals(7, b.position("BBB"));
      assertTrue(b.apply(3, "AAA", 1, 100));
      assertEquals(7, b.position("BBB", 2), "2 is committed: kept");
      assertEquals(10, b.position("AAA", 2), "3 never committed: dropped");
    }
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(10, b.position("AAA"), "the drop was logged");
    }
  }

  @Test
  void aBatchGivesAcceptedOrdersConsecutiveIdsAndIsDroppedWholeWhenNeverCommitted()
      throws IOException {
    List<PositionBook.Change> batch =
        List.of(
            new PositionBook.Change("AAA", 60),
            new PositionBook.Change("AAA", 60), // past the limit of 100: no id
            new PositionBook.Change("BBB", -5),
            new PositionBook.Change("AAA", 40));
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertArrayEquals(new long[] {1, -1, 2, 3}, b.apply(1, 100, batch));
      assertEquals(100, b.position("AAA"));
    }
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(100, b.position("AAA"), "replayed");
      // the batch never committed: the next one starts at 1 again and replaces all of it
      assertArrayEquals(
          new long[] {1}, b.apply(1, 100, List.of(new PositionBook.Change("CCC", 1))));
      assertEquals(0, b.position("AAA"));
      assertEquals(0, b.position("BBB"));
    }
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(0, b.position("AAA"), "replayed");
      assertEquals(1, b.position("CCC"));
    }
  }

  @Test
  void aTornLastLineIsCutOff() throws IOException {
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertTrue(b.apply(1, "AAA", 10, 100));
    }
    Files.writeString(dir.resolve("positions.log"), "A 2 AAA 3", StandardOpenOption.APPEND);
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(10, b.position("AAA"));
      assertTrue(b.apply(2, "AAA", 1, 100));
    }
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertEquals(11, b.position("AAA"));
    }
  }

  @Test
  void compactionKeepsTotalsAndPendingEntries() throws IOException {
    try (PositionBook b = PositionBook.open(dir, 200)) {
      for (int id = 1; id <= 50; id++) {
        assertTrue(b.apply(id, id % 2 == 0 ? "AAA" : "BBB", 3, 1000));
      }
      assertTrue(Files.size(dir.resolve("positions.log")) < 400);
    }
    try (PositionBook b = PositionBook.open(dir, 200)) {
      assertEquals(75, b.position("AAA"));
      assertEquals(75, b.position("BBB"));
      assertTrue(b.apply(50, "AAA", 1, 1000), "50 was still pending after compaction");
      assertEquals(73, b.position("AAA"));
      assertEquals(75, b.position("BBB"));
    }
  }

  @Test
  void oneBookPerDirectory() throws IOException {
    try (PositionBook b = PositionBook.open(dir, 1 << 20)) {
      assertThrows(IOException.class, () -> PositionBook.open(dir, 1 << 20));
      assertTrue(b.apply(1, "AAA", 1, 10), "the first is still usable");
    }
  }
}
