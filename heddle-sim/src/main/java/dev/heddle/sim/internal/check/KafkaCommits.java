package dev.heddle.sim.internal.check;

import static dev.heddle.sim.internal.check.KafkaAnomalies.describe;

import dev.heddle.sim.internal.check.KafkaHistory.Offsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kafka checker's rules for committed offsets, which are taken to be the largest offset ever
 * committed: a listing must not return less than a commit or a listing that completed before it
 * began ({@code nonmonotonic-committed}), nor more than any commit_offsets of the key had asked for
 * by the time it returned ({@code committed-ahead}).
 */
final class KafkaCommits {
  private final KafkaHistory h;
  private final KafkaAnomalies found;

  KafkaCommits(KafkaHistory h, KafkaAnomalies found) {
    this.h = h;
    this.found = found;
  }

  void check() {
    List<Offsets> floors = new ArrayList<>(h.commits);
    floors.addAll(h.listings);
    floors.sort(Comparator.comparingLong(o -> doneIndex(o.p())));
    List<Offsets> listings = new ArrayList<>(h.listings);
    listings.sort(Comparator.comparingLong(o -> o.p().invoke().index()));
    Map<String, Long> floor = new HashMap<>();
    Map<String, Offsets> floorBy = new HashMap<>();
    int next = 0;
    for (Offsets l : listings) {
      while (next < floors.size() && doneIndex(floors.get(next).p()) < l.p().invoke().index()) {
        Offsets f = floors.get(next++);
        f.offsets()
            .forEach(
                (k, c) -> {
                  Long was = floor.get(k);
                  if (was == null || c > was) {
                    floor.put(k, c);
                    floorBy.put(k, f);
                  }
                });
      }
      for (String k : l.keys()) {
        Long was = floor.get(k);
        long c = l.offsets().getOrDefault(k, -1L);
        if (was != null && c < was) {
          Offsets by = Objects.requireNonNull(floorBy.get(k));
          found.add(
              "nonmonotonic-committed",
              k,
              describe(l.p())
                  + (c < 0 ? " returned no committed offset" : " returned committed offset " + c)
                  + " for key "
                  + k
                  + ", but "
                  + describe(by.p())
                  + (by.p().invoke().f().equals("commit_offsets")
                      ? " had committed "
                      : " had listed ")
                  + was
                  + " before it began: committed offsets must not go backwards.",
              by.p(),
              l.p());
        }
      }
    }
    aheadOfCommits();
  }

  private void aheadOfCommits() {
    List<Offsets> byDone = new ArrayList<>(h.listings);
    byDone.sort(Comparator.comparingLong(o -> doneIndex(o.p())));
    Map<String, Long> asked = new HashMap<>();
    int next = 0;
    for (Offsets l : byDone) {
      while (next < h.commitAsks.size()
          && h.commitAsks.get(next).p().invoke().index() < doneIndex(l.p())) {
        h.commitAsks.get(next++).offsets().forEach((k, c) -> asked.merge(k, c, Math::max));
      }
      l.offsets()
          .forEach(
              (k, c) -> {
                Long most = asked.get(k);
                if (most == null || c > most) {
                  found.add(
                      "committed-ahead",
                      k,
                      describe(l.p())
                          + " returned committed offset "
                          + c
                          + " for key "
                          + k
                          + ", but "
                          + (most == null
                              ? "no commit_offsets of that key had been invoked"
                              : "no commit_offsets of that key had asked for more than " + most)
                          + " by the time it returned.",
                      l.p());
                }
              });
    }
  }

  private static long doneIndex(Checks.Pair p) {
    return Objects.requireNonNull(p.completion(), "it completed ok").index();
  }
}
