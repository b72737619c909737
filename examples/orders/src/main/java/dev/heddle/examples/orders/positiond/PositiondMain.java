package dev.heddle.examples.orders.positiond;

import dev.heddle.examples.orders.orderd.InheritedListener;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * positiond's entry point: {@code PositiondMain --workdir DIR [--compact-bytes N]}. Keeps its book
 * in {@code DIR/positions.log} and answers on the unix socket {@code DIR/positiond.sock}, one
 * request line, one reply line:
 *
 * <ul>
 *   <li>{@code APPLY <firstId> <limit> <SYMBOL>:<delta>[,<SYMBOL>:<delta>…]} → {@code APPLIED
 *       <r>…}, one {@code <id>:<position>} (applied with that id) or {@code -:<position>} (past the
 *       limit) per change, in order (see {@link PositionBook#apply(long, long, List)});
 *   <li>{@code POSITION <SYMBOL> [<committedMax>]} → {@code POSITION <SYMBOL> <position>};
 *   <li>anything else → {@code ERROR <what>}.
 * </ul>
 *
 * With a listening socket passed by Heddle (fd 3, {@code LISTEN_FDS}) it also answers there, for an
 * orderd on another host. Prints {@code positiond ready} once it accepts. Exit 2 on bad arguments,
 * 1 when it cannot start.
 */
public final class PositiondMain {
  private PositiondMain() {}

  public static void main(String[] args) throws Exception {
    Path workdir = null;
    long compactBytes = 64L << 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--workdir" -> workdir = Path.of(args[i + 1]);
        case "--compact-bytes" -> compactBytes = Long.parseLong(args[i + 1]);
        default -> workdir = null;
      }
    }
    if (workdir == null || args.length % 2 != 0) {
      System.err.println("usage: positiond --workdir DIR [--compact-bytes N]");
      System.exit(2);
      return;
    }
    PositionBook book;
    ServerSocketChannel server;
    try {
      book = PositionBook.open(workdir, compactBytes);
      Path socket = workdir.resolve("positiond.sock");
      Files.deleteIfExists(socket); // left by an incarnation that was killed
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), 128);
    } catch (IOException e) {
      System.err.println("positiond: cannot start: " + e);
      System.exit(1);
      return;
    }
    ReentrantLock lock = new ReentrantLock();
    if (System.getenv("LISTEN_FDS") != null) {
      // a TCP listening socket passed by Heddle: orderd on another host reaches positiond there
      ServerSocketChannel tcp;
      try {
        tcp = InheritedListener.adopt();
      } catch (IOException e) {
        System.err.println("positiond: cannot use the inherited listening socket: " + e);
        System.exit(1);
        return;
      }
      Thread.ofPlatform().name("positiond/tcp").start(() -> acceptLoop(tcp, book, lock));
    }
    System.out.println("positiond ready, pid " + ProcessHandle.current().pid());
    System.out.flush();
    acceptLoop(server, book, lock);
  }

  private static void acceptLoop(
      ServerSocketChannel server, PositionBook book, ReentrantLock lock) {
    long n = 0;
    while (true) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        System.err.println("positiond: accept failed, exiting: " + e);
        System.exit(1);
        return;
      }
      Thread.ofVirtual().name("positiond/client-" + ++n).start(() -> serve(c, book, lock));
    }
  }

  /**
   * Serves one connection. A request whose client has hung up before it is handled is dropped:
   * orderd abandons a request only by closing its connection (after its patience ran out), and then
   * sends it again, possibly changed, on a new one; applying the abandoned copy late could
   * overwrite the newer request for the same id. Since the client closes before it sends again, and
   * both are handled under one lock, "hung up" is always visible by then.
   */
  private static void serve(SocketChannel c, PositionBook book, ReentrantLock lock) {
    ByteBuffer in = ByteBuffer.allocate(4096).flip();
    StringBuilder line = new StringBuilder();
    try (c) {
      while (true) {
        if (!in.hasRemaining()) {
          in.clear();
          int n = c.read(in);
          in.flip();
          if (n < 0) {
            return;
          }
          continue;
        }
        byte b = in.get();
        if (b != '\n') {
          if (line.length() > 1024) {
            return; // not orderd
          }
          line.append((char) (b & 0xff));
          continue;
        }
        String reply;
        lock.lock();
        try {
          if (!in.hasRemaining() && hungUp(c, in)) {
            return;
          }
          reply = answer(line.toString(), book);
        } finally {
          lock.unlock();
        }
        line.setLength(0);
        ByteBuffer out = StandardCharsets.UTF_8.encode(reply + "\n");
        while (out.hasRemaining()) {
          c.write(out);
        }
      }
    } catch (IOException e) {
      // the client went away; an unfinished request was not answered, so it was not acknowledged
    }
  }

  /** Whether the client closed its end; keeps any bytes it sent meanwhile in {@code in}. */
  private static boolean hungUp(SocketChannel c, ByteBuffer in) throws IOException {
    c.configureBlocking(false);
    try {
      in.clear();
      int n = c.read(in);
      in.flip();
      return n < 0;
    } finally {
      c.configureBlocking(true);
    }
  }

  static String answer(String line, PositionBook book) throws IOException {
    String[] w = line.split(" ", -1);
    try {
      if (w[0].equals("APPLY") && w.length == 4) {
        long firstId = Long.parseLong(w[1]);
        List<PositionBook.Change> changes = new ArrayList<>();
        for (String c : w[3].split(",", -1)) {
          int colon = c.indexOf(':');
          if (colon < 1) {
            return "ERROR bad change '" + c + "'; expected SYMBOL:delta";
          }
          changes.add(
              new PositionBook.Change(
                  c.substring(0, colon), Long.parseLong(c.substring(colon + 1))));
        }
        long[] ids = book.apply(firstId, Long.parseLong(w[2]), changes);
        StringBuilder reply = new StringBuilder("APPLIED");
        for (int i = 0; i < ids.length; i++) {
          reply.append(' ').append(ids[i] < 0 ? "-" : Long.toString(ids[i]));
          reply.append(':').append(book.position(changes.get(i).symbol()));
        }
        return reply.toString();
      }
      if (w[0].equals("POSITION") && (w.length == 2 || w.length == 3)) {
        long p = w.length == 3 ? book.position(w[1], Long.parseLong(w[2])) : book.position(w[1]);
        return "POSITION " + w[1] + " " + p;
      }
    } catch (NumberFormatException e) {
      return "ERROR bad number in '" + line + "'";
    }
    return "ERROR expected APPLY <firstId> <limit> <SYMBOL>:<delta>[,...] or POSITION <SYMBOL>"
        + " [<committedMax>]";
  }
}
