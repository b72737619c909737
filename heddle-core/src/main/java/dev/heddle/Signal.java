package dev.heddle;

/** POSIX signals Heddle sends or reports, with their Linux numbers. */
public enum Signal {
  HUP(1),
  INT(2),
  QUIT(3),
  ILL(4),
  TRAP(5),
  ABRT(6),
  BUS(7),
  FPE(8),
  KILL(9),
  USR1(10),
  SEGV(11),
  USR2(12),
  PIPE(13),
  ALRM(14),
  TERM(15),
  CHLD(17),
  CONT(18),
  STOP(19),
  TSTP(20),
  XCPU(24),
  XFSZ(25),
  SYS(31);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  /** The Linux signal number. */
  public int number() {
    return number;
  }

  /** The signal with that number; an unnamed one is reported as {@link #SYS}'s neighbour never. */
  public static Signal of(int number) {
    for (Signal s : values()) {
      if (s.number == number) {
        return s;
      }
    }
    throw new IllegalArgumentException("no named signal has number " + number);
  }

  @Override
  public String toString() {
    return "SIG" + name();
  }
}
