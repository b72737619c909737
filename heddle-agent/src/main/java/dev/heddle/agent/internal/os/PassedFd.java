package dev.heddle.agent.internal.os;

import java.util.Objects;

/**
 * An fd to place in a child at 3, 4, ... (in list order), with its name for LISTEN_FDNAMES. The
 * parent keeps ownership of {@code fd}: spawning duplicates it and never closes it.
 */
public record PassedFd(int fd, String name) {
  public PassedFd {
    Objects.requireNonNull(name, "name");
  }
}
