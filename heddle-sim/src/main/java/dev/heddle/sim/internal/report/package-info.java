/** The files a finished run leaves: results.json, the history, test.json and report.html. */
@NullMarked
package dev.heddle.sim.internal.report;

import org.jspecify.annotations.NullMarked;
