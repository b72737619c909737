/**
 * Where restarts are decided: {@link dev.heddle.internal.supervise.RestartDecider} applies a {@link
 * dev.heddle.RestartPolicy} (type, intensity, backoff) to each exit, and {@link
 * dev.heddle.internal.supervise.Supervisor} runs one service's incarnations inside a scope task.
 */
@NullMarked
package dev.heddle.internal.supervise;

import org.jspecify.annotations.NullMarked;
