package dev.heddle.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ValidityTest {
  @Test
  void invalidWinsThenUnknownAsJepsensMergeValid() {
    for (Validity v : Validity.values()) {
      assertEquals(Validity.INVALID, Validity.INVALID.and(v), "invalid and " + v);
      assertEquals(Validity.INVALID, v.and(Validity.INVALID), v + " and invalid");
    }
    assertEquals(Validity.UNKNOWN, Validity.UNKNOWN.and(Validity.VALID));
    assertEquals(Validity.UNKNOWN, Validity.VALID.and(Validity.UNKNOWN));
    assertEquals(Validity.UNKNOWN, Validity.UNKNOWN.and(Validity.UNKNOWN));
    assertEquals(Validity.VALID, Validity.VALID.and(Validity.VALID));
  }

  @Test
  void exitCodesAreMaelstroms() {
    assertEquals(0, Validity.VALID.exitCode());
    assertEquals(1, Validity.INVALID.exitCode());
    assertEquals(2, Validity.UNKNOWN.exitCode());
  }
}
