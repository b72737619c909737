package dev.heddle.examples.orders.orderd;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * Adopts the listening socket passed at fd 3 (systemd's {@code LISTEN_FDS} convention) as a JDK
 * {@link ServerSocketChannel}.
 *
 * <p>The JDK has exactly one public way to turn an inherited fd into a channel: {@link
 * System#inheritedChannel()}, which looks at fd 0 only (inetd's convention). So this moves fd 3 to
 * fd 0 with one FFM call to {@code dup2(3, 0)} (fd 0 was {@code /dev/null}) before anything asks
 * for the inherited channel, and from then on everything is the JDK's own NIO: blocking {@code
 * accept} and reads that park virtual threads instead of pinning carriers, timeouts, close. The
 * alternatives were worse: wrapping the fd through reflection into {@code sun.nio.ch} needs {@code
 * --add-opens} and breaks across JDKs; doing accept/read/write through FFM means re-implementing
 * NIO and pinning a carrier thread per blocked call.
 *
 * <p>One consequence: the JDK puts the socket in non-blocking mode, and O_NONBLOCK belongs to the
 * open file description, which every worker and the agent share. All orderd workers are this class,
 * so that is harmless here; a worker in another language sharing the socket must cope with EAGAIN
 * on accept.
 */
public final class InheritedListener {
  private InheritedListener() {}

  /**
   * The inherited listening socket.
   *
   * @throws IOException when no socket was passed (LISTEN_FDS missing or for another pid) or fd 3
   *     is not a listening stream socket; the message says which
   */
  public static ServerSocketChannel adopt() throws IOException {
    String fds = System.getenv("LISTEN_FDS");
    String pid = System.getenv("LISTEN_PID");
    if (fds == null || !fds.matches("[1-9][0-9]*")) {
      throw new IOException(
          "no listening socket was passed (LISTEN_FDS="
              + fds
              + "); orderd never binds one itself: start it through Heddle with"
              + " Service.inherit(listeningSocket)");
    }
    if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      throw new IOException(
          "LISTEN_PID="
              + pid
              + " names another process (this is "
              + ProcessHandle.current().pid()
              + "); the sockets were meant for it");
    }
    int r;
    try {
      r = (int) dup2().invokeExact(3, 0);
    } catch (Throwable e) {
      throw new IOException("dup2(3, 0) failed: " + e, e);
    }
    if (r != 0) {
      throw new IOException("dup2(3, 0) returned " + r + ": fd 3 is not open");
    }
    Channel ch = System.inheritedChannel();
    if (!(ch instanceof ServerSocketChannel server)) {
      throw new IOException("fd 3 is not a listening stream socket (the JDK sees " + ch + ")");
    }
    return server;
  }

  @SuppressWarnings("restricted") // orderd runs with --enable-native-access=ALL-UNNAMED
  private static MethodHandle dup2() {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(
        linker.defaultLookup().find("dup2").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }
}
