package dev.heddle.examples.orders.orderd;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One line of orderd's protocol, parsed. {@link #parse} never throws for bad input other than
 * {@link Malformed}, whose message is the text after {@code ERROR }.
 */
public sealed interface Request {

  /**
   * {@code BUY|SELL <SYMBOL> <QTY> <PRICE> [KEY <key>]}. With a key the order is idempotent: sent
   * again with the same key (after a connection broke before the reply came), it is answered with
   * the id it was stored under instead of being stored twice.
   */
  record Order(Side side, String symbol, long quantity, BigDecimal price, @Nullable String key)
      implements Request {
    public Order(Side side, String symbol, long quantity, BigDecimal price) {
      this(side, symbol, quantity, price, null);
    }

    /** The signed change to the symbol's position: +quantity for a buy, -quantity for a sell. */
    public long delta() {
      return side == Side.BUY ? quantity : -quantity;
    }

    /** Whether {@code other} is the same order (the key aside). */
    public boolean sameAs(Order other) {
      return side == other.side
          && symbol.equals(other.symbol)
          && quantity == other.quantity
          && price.compareTo(other.price) == 0;
    }
  }

  /** {@code GET <id>}. */
  record Get(long id) implements Request {}

  /** {@code POSITION <SYMBOL>}. */
  record Position(String symbol) implements Request {}

  /** Buy or sell. */
  enum Side {
    BUY,
    SELL
  }

  /** A line that is not a request; the message says what was wrong. */
  final class Malformed extends Exception {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** The largest quantity accepted (so that positions cannot overflow a long). */
  long MAX_QUANTITY = 1_000_000_000L;

  /** Symbols: 1 to 8 capital letters. */
  Pattern SYMBOL = Pattern.compile("[A-Z]{1,8}");

  /** Prices: a positive decimal, at most 12 digits before and 8 after the point. */
  Pattern PRICE = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,8})?");

  /** Idempotency keys: 1 to 64 letters, digits, {@code -} or {@code _}. */
  Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Ids and quantities: a positive integer without sign or leading zeros. */
  Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,17}");

  /**
   * Parses one line (without its line end).
   *
   * @throws Malformed naming what was wrong
   */
  static Request parse(String line) throws Malformed {
    String[] w = line.strip().split(" +", -1);
    if (w.length == 1 && w[0].isEmpty()) {
      throw new Malformed("empty line; expected BUY, SELL, GET or POSITION");
    }
    return switch (w[0]) {
      case "BUY", "SELL" -> {
        if (w.length != 4 && w.length != 6) {
          throw new Malformed(
              "expected "
                  + w[0]
                  + " <SYMBOL> <QTY> <PRICE> [KEY <key>] (3 or 5 arguments), got "
                  + (w.length - 1));
        }
        String key = null;
        if (w.length == 6) {
          if (!w[4].equals("KEY")) {
            throw new Malformed("expected KEY <key> after the price, got '" + clip(w[4]) + "'");
          }
          if (!KEY.matcher(w[5]).matches()) {
            throw new Malformed(
                "key '" + clip(w[5]) + "' must be 1 to 64 letters, digits, '-' or '_'");
          }
          key = w[5];
        }
        yield new Order(Side.valueOf(w[0]), symbol(w[1]), quantity(w[2]), price(w[3]), key);
      }
      case "GET" -> {
        arity(w, 2, "GET <id>");
        if (!POSITIVE.matcher(w[1]).matches()) {
          throw new Malformed("id '" + w[1] + "' is not a positive integer");
        }
        yield new Get(Long.parseLong(w[1]));
      }
      case "POSITION" -> {
        arity(w, 2, "POSITION <SYMBOL>");
        yield new Position(symbol(w[1]));
      }
      default ->
          throw new Malformed(
              "unknown command '" + clip(w[0]) + "'; expected BUY, SELL, GET or POSITION");
    };
  }

  private static void arity(String[] words, int n, String usage) throws Malformed {
    if (words.length != n) {
      throw new Malformed(
          "expected " + usage + " (" + (n - 1) + " arguments), got " + (words.length - 1));
    }
  }

  private static String symbol(String s) throws Malformed {
    if (!SYMBOL.matcher(s).matches()) {
      throw new Malformed("symbol '" + clip(s) + "' must be 1 to 8 capital letters A-Z");
    }
    return s;
  }

  private static long quantity(String s) throws Malformed {
    if (!POSITIVE.matcher(s).matches() || Long.parseLong(s) > MAX_QUANTITY) {
      throw new Malformed(
          "quantity '" + clip(s) + "' must be a positive integer up to " + MAX_QUANTITY);
    }
    return Long.parseLong(s);
  }

  private static BigDecimal price(String s) throws Malformed {
    if (!PRICE.matcher(s).matches() || new BigDecimal(s).signum() <= 0) {
      throw new Malformed(
          "price '" + clip(s) + "' must be a positive decimal such as 101.25 (up to 8 decimals)");
    }
    return new BigDecimal(s).stripTrailingZeros();
  }

  /** Echoes at most 40 characters of bad input. */
  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
