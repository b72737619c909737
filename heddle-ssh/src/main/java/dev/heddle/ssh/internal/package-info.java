/** The SSH transport: MINA SSHD client, key authentication, strict known_hosts checking. */
@NullMarked
package dev.heddle.ssh.internal;

import org.jspecify.annotations.NullMarked;
