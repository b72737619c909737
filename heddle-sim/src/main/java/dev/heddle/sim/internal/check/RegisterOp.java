package dev.heddle.sim.internal.check;

import dev.heddle.sim.internal.history.Op;
import org.jspecify.annotations.Nullable;

/**
 * One operation on one key's register, as the linearizability search sees it: values are interned
 * to small integers (0 is "no value"), and an op that did not complete ok may take effect at any
 * time after its invocation, or never.
 *
 * @param kind read, write or cas
 * @param arg the value read or written, or cas's {@code from}
 * @param arg2 cas's {@code to}; unused otherwise
 * @param definite whether it completed ok (else its outcome is unknown: info, or never completed)
 * @param invoke the invocation
 * @param completion the ok or info completion, or null when it never completed
 */
record RegisterOp(
    Kind kind, int arg, int arg2, boolean definite, Op invoke, @Nullable Op completion) {
  /** The register's operations. */
  enum Kind {
    READ,
    WRITE,
    CAS
  }

  /** The interned value of "no value": a key that was never written. */
  static final int NIL = 0;

  /** Returns the state after this op from {@code state}, or -1 when it cannot happen there. */
  int apply(int state) {
    return switch (kind) {
      case READ -> state == arg ? state : -1;
      case WRITE -> arg;
      case CAS -> state == arg ? arg2 : -1;
    };
  }

  /** Returns the value this op leaves in the register, or -1 for a read. */
  int sets() {
    return switch (kind) {
      case READ -> -1;
      case WRITE -> arg;
      case CAS -> arg2;
    };
  }

  /** Returns the history position of its completion, or {@link Long#MAX_VALUE} when unknown. */
  long returnIndex() {
    return definite && completion != null ? completion.index() : Long.MAX_VALUE;
  }
}
