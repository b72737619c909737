package dev.heddle;

/**
 * Hears how far a {@link Host#deploy} has got: called from the deploying threads (keep it quick),
 * at least once per host with the totals, then as chunks are acknowledged.
 */
@FunctionalInterface
public interface DeployProgress {
  /** Hears nothing. */
  DeployProgress NONE = (host, sent, toSend) -> {};

  /**
   * Prints {@code <prefix><host>: 12.5 of 104.9 MB} lines to {@code out} for each host with at
   * least {@code minBytes} to send: when it starts, at most every half second meanwhile, and when
   * it is done. Thread-safe.
   */
  static DeployProgress printing(java.io.PrintStream out, String prefix, long minBytes) {
    java.util.Map<String, Long> lastPrinted = new java.util.concurrent.ConcurrentHashMap<>();
    return (host, sent, toSend) -> {
      if (toSend < minBytes) {
        return;
      }
      long now = System.nanoTime();
      Long last = lastPrinted.get(host);
      boolean due = last == null || now - last >= 500_000_000L || sent == toSend;
      if (due
          && (last == null
              ? lastPrinted.putIfAbsent(host, now) == null
              : lastPrinted.replace(host, last, now))) {
        out.printf(
            java.util.Locale.ROOT,
            "%s%s: %.1f of %.1f MB%s%n",
            prefix,
            host,
            sent / 1e6,
            toSend / 1e6,
            sent == toSend ? ", done" : "");
      }
    };
  }

  /**
   * Called as a host acknowledges chunks.
   *
   * @param host the host's name
   * @param sentBytes bytes the host has acknowledged so far
   * @param bytesToSend bytes this deploy sends to that host: 0 when everything was there already
   */
  void sent(String host, long sentBytes, long bytesToSend);
}
