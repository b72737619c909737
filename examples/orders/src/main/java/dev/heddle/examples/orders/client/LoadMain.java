package dev.heddle.examples.orders.client;

import java.net.InetSocketAddress;

/**
 * The load client as a service of its own (on another host than orderd, for {@code bin/orders
 * --hosts}): {@code LoadMain --target HOST:PORT [--clients N] [--pause-ms N]}. Sends orders with
 * idempotency keys until it is stopped, printing {@code load ready} at its first acknowledged order
 * and then a line of counts every two seconds: {@code load: acknowledged=… failed=… refused=…
 * broken=… retried=…}, where failed counts orders given up or rejected. Exit 2 on bad arguments.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    String target = null;
    int clients = 4;
    long pauseMs = 0;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--target" -> target = args[i + 1];
          case "--clients" -> clients = Integer.parseInt(args[i + 1]);
          case "--pause-ms" -> pauseMs = Long.parseLong(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (target == null || target.lastIndexOf(':') <= 0) {
        throw new IllegalArgumentException("--target HOST:PORT is required");
      }
      if (clients < 1 || pauseMs < 0) {
        throw new IllegalArgumentException("--clients must be 1 or more and --pause-ms 0 or more");
      }
      var _ = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      System.err.println("load: a number was expected: " + e.getMessage());
      System.err.println("usage: load --target HOST:PORT [--clients N] [--pause-ms N]");
      System.exit(2);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("load: " + e.getMessage());
      System.err.println("usage: load --target HOST:PORT [--clients N] [--pause-ms N]");
      System.exit(2);
      return;
    }
    int colon = target.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(
            target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    Load load = new Load(address, clients, false, pauseMs);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> System.out.println(counts(load)), "load/last-line"));
    while (load.acked() == 0) {
      Thread.sleep(20);
    }
    System.out.println("load ready");
    while (true) {
      Thread.sleep(2_000);
      System.out.println(counts(load));
    }
  }

  static String counts(Load load) {
    return "load: acknowledged="
        + load.acked()
        + " failed="
        + (load.gaveUp.get() + load.rejected.get())
        + " refused="
        + load.refused.get()
        + " broken="
        + load.broken.get()
        + " retried="
        + load.retried.get();
  }
}
