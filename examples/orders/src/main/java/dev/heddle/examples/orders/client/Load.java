package dev.heddle.examples.orders.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients sending a stream of orders, each reconnecting when its connection breaks. Every order
 * carries an idempotency key ({@code KEY}), so an order in flight when the connection broke is sent
 * again on the next connection, with the same key, until it is answered (for up to {@link
 * #GIVE_UP_AFTER_NS}): orderd stores it once either way. Records every acknowledged order, every
 * broken connection, every retry and every refused connection; an order counts as failed only when
 * it was given up or rejected.
 */
public final class Load {
  /** The symbols orders are sent for. */
  public static final List<String> SYMBOLS = List.of("AAA", "BBB", "CCC");

  public final Map<Long, String> acknowledged = new ConcurrentHashMap<>(); // id -> "BUY AAA 3"
  public final AtomicLong refused = new AtomicLong();
  public final AtomicLong broken = new AtomicLong();

  /** Orders sent again after their connection broke (or was refused) before the reply came. */
  public final AtomicLong retried = new AtomicLong();

  /** Orders given up: no answer within {@link #GIVE_UP_AFTER_NS} of retrying. */
  public final AtomicLong gaveUp = new AtomicLong();

  /** How long an order is sent again before it is given up: 30 s. */
  public static final long GIVE_UP_AFTER_NS = 30_000_000_000L;

  private static final java.util.concurrent.atomic.AtomicInteger runs =
      new java.util.concurrent.atomic.AtomicInteger();
  public final AtomicLong rejected = new AtomicLong();
  public final List<String> rejections = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /** The number of acknowledged orders (counted also when they are not recorded). */
  public final AtomicLong acks = new AtomicLong();

  private final boolean record;
  private final long pauseMillis;

  /** Starts {@code clients} client threads against {@code address}, recording every ack. */
  public Load(InetSocketAddress address, int clients) {
    this(address, clients, true);
  }

  /**
   * Starts {@code clients} client threads against {@code address}; with {@code record} false it
   * only counts acknowledged orders (for long throughput runs).
   */
  public Load(InetSocketAddress address, int clients, boolean record) {
    this(address, clients, record, 0);
  }

  /** As {@link #Load(InetSocketAddress, int, boolean)}, each client pausing between orders. */
  public Load(InetSocketAddress address, int clients, boolean record, long pauseMillis) {
    this.record = record;
    this.pauseMillis = pauseMillis;
    // Keys unique across runs and processes: pid, this run, the client, a sequence number.
    String run =
        Long.toString(System.currentTimeMillis(), 36)
            + "p"
            + ProcessHandle.current().pid()
            + "r"
            + runs.incrementAndGet();
    for (int i = 0; i < clients; i++) {
      String prefix = run + "c" + i;
      threads.add(Thread.ofPlatform().name("load-" + i).start(() -> run(address, prefix)));
    }
  }

  /** How many orders were acknowledged so far. */
  public long acked() {
    return acks.get();
  }

  private void run(InetSocketAddress address, String keyPrefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long seq = 0;
    String order = null; // the order in flight: sent again after a broken connection
    String line = null;
    long firstTry = 0;
    while (!stop.get()) {
      try (Client c = new Client(address)) {
        while (!stop.get()) {
          if (order == null) {
            order =
                (r.nextBoolean() ? "BUY " : "SELL ")
                    + SYMBOLS.get(r.nextInt(SYMBOLS.size()))
                    + " "
                    + (1 + r.nextInt(9));
            line = order + " " + (1 + r.nextInt(500)) + ".25 KEY " + keyPrefix + "-" + ++seq;
            firstTry = System.nanoTime();
          }
          String reply = c.send(java.util.Objects.requireNonNull(line));
          if (reply.startsWith("ACCEPTED ")) {
            acks.incrementAndGet();
            if (record) {
              acknowledged.put(Long.parseLong(reply.substring(9)), order);
            }
          } else {
            rejected.incrementAndGet();
            rejections.add(reply);
          }
          order = null;
          if (pauseMillis > 0) {
            try {
              Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      } catch (ConnectException e) {
        refused.incrementAndGet();
        order = retryOrGiveUp(order, firstTry);
      } catch (IOException e) {
        broken.incrementAndGet();
        order = retryOrGiveUp(order, firstTry);
      }
    }
  }

  /** The order to send again on the next connection, or null once it was tried for too long. */
  private @org.jspecify.annotations.Nullable String retryOrGiveUp(
      @org.jspecify.annotations.Nullable String order, long firstTry) {
    if (order == null) {
      return null;
    }
    if (System.nanoTime() - firstTry > GIVE_UP_AFTER_NS) {
      gaveUp.incrementAndGet();
      return null;
    }
    retried.incrementAndGet();
    return order;
  }

  /** Stops the clients and waits for them. */
  public void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
  }

  /**
   * Reads every order in the database back with GET (ids are dense from 1) and checks: each
   * acknowledged order is there as sent; each symbol's position is the sum of the stored orders.
   * Returns the number of lost acknowledged orders (0 expected) and fails on a position mismatch.
   */
  public static Result verify(InetSocketAddress address, Map<Long, String> acknowledged)
      throws IOException {
    Map<String, Long> sums = new HashMap<>();
    Map<Long, String> stored = new HashMap<>();
    try (Client c = new Client(address)) {
      for (long id = 1; ; id++) {
        String reply = c.send("GET " + id);
        if (reply.startsWith("UNKNOWN")) {
          break;
        }
        String[] w = reply.split(" ", -1); // ORDER id SIDE SYM QTY PRICE
        stored.put(id, w[2] + " " + w[3] + " " + w[4]);
        sums.merge(w[3], (w[2].equals("BUY") ? 1 : -1) * Long.parseLong(w[4]), Long::sum);
      }
      long lost = 0;
      for (var e : acknowledged.entrySet()) {
        if (!e.getValue().equals(stored.get(e.getKey()))) {
          lost++;
        }
      }
      Map<String, Long> positions = new HashMap<>();
      for (String s : SYMBOLS) {
        String reply = c.send("POSITION " + s);
        positions.put(s, Long.parseLong(reply.substring(reply.lastIndexOf(' ') + 1)));
        sums.putIfAbsent(s, 0L);
      }
      return new Result(stored.size(), lost, sums, positions);
    }
  }

  /** What {@link #verify} found. */
  public record Result(
      int stored, long lost, Map<String, Long> sums, Map<String, Long> positions) {}
}
