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
   * Called as a host acknowledges chunks.
   *
   * @param host the host's name
   * @param sentBytes bytes the host has acknowledged so far
   * @param bytesToSend bytes this deploy sends to that host: 0 when everything was there already
   */
  void sent(String host, long sentBytes, long bytesToSend);
}
