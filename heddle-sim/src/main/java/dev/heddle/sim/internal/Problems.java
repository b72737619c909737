package dev.heddle.sim.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Misbehaviour of node programs seen during a run (lines that are not JSON, malformed messages,
 * replies nobody asked for, unknown destinations, exits, init failures, floods), counted per node
 * and kind with a few samples each, so that the run goes on and the report can explain.
 * Thread-safe.
 */
public final class Problems {
  /** Kinds of misbehaviour, with the sentence the report shows for each. */
  public enum Kind {
    LINE_NOT_VALID_JSON(
        "wrote a line to stdout that is not JSON (nodes must print only messages to stdout; logs go to stderr)"),
    MALFORMED_MESSAGE("wrote a message without a string src, a string dest and an object body"),
    UNKNOWN_DESTINATION("sent a message to a node that does not exist; it was dropped"),
    REPLY_TO_UNKNOWN_MSG_ID(
        "sent a client a reply whose in_reply_to matches no request that client sent"),
    UNEXPECTED_REPLY("answered a client request with a body of an unexpected type"),
    EXITED("exited on its own during the run"),
    INIT_FAILED("did not answer init with init_ok (Maelstrom waits 10 s)"),
    LINE_TOO_LONG("wrote a line longer than the limit; the line was discarded"),
    STDOUT_FLOOD(
        "wrote messages faster than the simulator could route them; its stdout was throttled"),
    STDIN_OVERFLOW("did not read its stdin; messages to it were dropped"),
    STDERR_TRUNCATED("wrote more to stderr than the log limit; the rest was discarded");

    private final String sentence;

    Kind(String sentence) {
      this.sentence = sentence;
    }

    /** Returns what the report says about this kind. */
    public String sentence() {
      return sentence;
    }

    /** Returns the kebab-case name used in results.json. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The record of one kind of misbehaviour on one node.
   *
   * @param node the node id
   * @param kind what went wrong
   * @param count how often
   * @param samples the first few occurrences, described
   */
  public record Entry(String node, Kind kind, long count, List<String> samples) {}

  private static final int SAMPLES = 5;
  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private final Map<String, List<String>> samples = new LinkedHashMap<>();

  /** Records one occurrence; {@code detail} describes it (a line is shortened to 200 chars). */
  public synchronized void record(String node, Kind kind, String detail) {
    String key = node + "\u0000" + kind.name();
    counts.computeIfAbsent(key, k -> new long[1])[0]++;
    List<String> s = samples.computeIfAbsent(key, k -> new ArrayList<>());
    if (s.size() < SAMPLES) {
      s.add(detail.length() > 200 ? detail.substring(0, 200) + "…" : detail);
    }
  }

  /** Returns every entry, in the order first seen. */
  public synchronized List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    counts.forEach(
        (key, c) -> {
          int cut = key.indexOf('\u0000');
          out.add(
              new Entry(
                  key.substring(0, cut),
                  Kind.valueOf(key.substring(cut + 1)),
                  c[0],
                  List.copyOf(samples.get(key))));
        });
    return out;
  }

  /** Returns whether nothing was recorded. */
  public synchronized boolean isEmpty() {
    return counts.isEmpty();
  }
}
