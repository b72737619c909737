package dev.heddle;

/** Which output of a process: each goes to its own file on the process's host. */
public enum LogStream {
  STDOUT,
  STDERR;

  /** The protocol's name of the stream. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
