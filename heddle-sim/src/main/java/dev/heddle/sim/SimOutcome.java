package dev.heddle.sim;

import java.nio.file.Path;

/**
 * What one simulated test produced: its verdict, where its files are, and the seed that replays its
 * choices.
 *
 * @param validity the combined verdict of all checkers
 * @param directory the run's directory under the store, holding results.json, the history, node
 *     logs and report.html
 * @param seed the seed of the run's random source
 * @param summary a few lines for a human, as printed at the end of a run
 */
public record SimOutcome(Validity validity, Path directory, long seed, String summary) {}
