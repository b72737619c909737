package dev.heddle.examples.iot.api;

import dev.heddle.examples.iot.wire.Store;
import dev.heddle.examples.iot.wire.Tokens;

/** What every session of one worker shares: its name, the token checker, the store, the hub. */
record Worker(String name, Tokens tokens, Store store, Hub hub) {}
