package dev.heddle.examples.iot.wire;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * Adopts the listening socket the agent passed at fd 3 ({@code LISTEN_FDS}) as a JDK {@link
 * ServerSocketChannel}: {@code dup2(3, 0)} through FFM, then {@link System#inheritedChannel()}, the
 * JDK's one public door for an inherited socket (it looks at fd 0). The orders example's orderd
 * explains the choice at length. A service that gets no socket says so and exits.
 */
public final class InheritedListener {
  private InheritedListener() {}

  /**
   * The inherited listening socket.
   *
   * @throws IOException when none was passed, it is meant for another pid, or fd 3 is no listener
   */
  public static ServerSocketChannel adopt() throws IOException {
    String fds = System.getenv("LISTEN_FDS");
    String pid = System.getenv("LISTEN_PID");
    if (fds == null || !fds.matches("[1-9][0-9]*")) {
      throw new IOException(
          "no listening socket was passed (LISTEN_FDS="
              + fds
              + "); this service never binds one itself: start it through Heddle with"
              + " Service.inherit(listeningSocket)");
    }
    if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      throw new IOException("LISTEN_PID=" + pid + " names another process");
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

  @SuppressWarnings("restricted") // services run with --enable-native-access=ALL-UNNAMED
  private static MethodHandle dup2() {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(
        linker.defaultLookup().find("dup2").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }
}
