package dev.heddle;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened to a supervised service, as published to {@link Scope#events}. Every event names
 * the service, its host, the incarnation (1, 2, ... per supervised service) and when it happened.
 * Immutable.
 */
public sealed interface Event {

  /** The service's name. */
  String service();

  /** The host's name. */
  String host();

  /** Which incarnation of the service it concerns (1-based). */
  int incarnation();

  /** When it happened. */
  Instant time();

  /** An incarnation was spawned as process {@code pid}. */
  record Started(String service, String host, int incarnation, Instant time, int pid)
      implements Event {}

  /** An incarnation passed its readiness check. */
  record Ready(String service, String host, int incarnation, Instant time) implements Event {}

  /** An incarnation exited by itself (not stopped by Heddle). */
  record Exited(String service, String host, int incarnation, Instant time, ExitStatus status)
      implements Event {}

  /** The next incarnation will be started after {@code delay} (restart {@code attempt}). */
  record RestartScheduled(
      String service, String host, int incarnation, Instant time, Duration delay, int attempt)
      implements Event {}

  /** A restart began: {@code incarnation} is the new one. */
  record Restarted(String service, String host, int incarnation, Instant time) implements Event {}

  /** The supervisor gave up and failed its scope. */
  record GaveUp(String service, String host, int incarnation, Instant time, String reason)
      implements Event {}

  /** Heddle stopped an incarnation (scope closed or cancelled). */
  record Stopped(String service, String host, int incarnation, Instant time, ExitStatus status)
      implements Event {}
}
