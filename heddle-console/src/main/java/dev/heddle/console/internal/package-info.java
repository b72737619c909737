/**
 * Internals of the console shared by the command line and the live console (the REPL's input and
 * loop). Not an API.
 */
@NullMarked
package dev.heddle.console.internal;

import org.jspecify.annotations.NullMarked;
