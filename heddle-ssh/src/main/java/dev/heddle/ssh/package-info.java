/**
 * Remote hosts over SSH (issue 5, in progress): {@link dev.heddle.ssh.SshHosts#connect} gives a
 * {@link dev.heddle.Host} whose agent runs on the remote host; {@link dev.heddle.ssh.SshTarget}
 * says where to connect, how to check the host and which Java to use there. Apache MINA SSHD is the
 * transport and bootstrap only; it never appears in this package.
 */
@NullMarked
package dev.heddle.ssh;

import org.jspecify.annotations.NullMarked;
