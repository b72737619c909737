/**
 * Remote hosts over SSH (issue 5, in progress): where to connect and how to check the host. Apache
 * MINA SSHD is the transport only; it never appears in this package's signatures.
 */
@NullMarked
package dev.heddle.ssh;

import org.jspecify.annotations.NullMarked;
