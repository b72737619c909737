/** The auth service: checks a password, issues an HMAC-SHA256 signed token. */
@NullMarked
package dev.heddle.examples.iot.auth;

import org.jspecify.annotations.NullMarked;
