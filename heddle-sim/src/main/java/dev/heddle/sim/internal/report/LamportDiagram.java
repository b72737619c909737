package dev.heddle.sim.internal.report;

import dev.heddle.sim.internal.net.Journal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A Lamport (space-time) diagram of the first messages: one vertical line per process (clients,
 * nodes, services), one arrow per delivery from its send to its receipt; dropped messages end in a
 * red cross. Rows follow the order of events rather than wall time, so bursts stay readable.
 */
final class LamportDiagram {
  static final int MAX_MESSAGES = 250;
  private static final int COLUMN = 90;
  private static final int ROW = 16;
  private static final int TOP = 40;

  private LamportDiagram() {}

  /** A send (no arrival) or a delivery or drop (with its arrival) of a journalled message. */
  private record Event(
      long time, long order, Journal.Entry entry, Journal.@Nullable Arrival arrival) {}

  static String render(Journal journal) {
    List<Journal.Entry> entries = journal.entries().stream().limit(MAX_MESSAGES).toList();
    TreeSet<String> processes =
        new TreeSet<>(
            Comparator.comparingInt(LamportDiagram::rank)
                .thenComparing(Comparator.<String>naturalOrder()));
    List<Event> events = new ArrayList<>();
    long order = 0;
    for (Journal.Entry e : entries) {
      processes.add(e.src());
      processes.add(e.dest());
      events.add(new Event(e.sentNanos(), order++, e, null));
      for (Journal.Arrival a : journal.arrivals(e.id())) {
        events.add(new Event(a.atNanos(), order++, e, a));
      }
    }
    events.sort(Comparator.comparingLong(Event::time).thenComparingLong(Event::order));
    Map<String, Integer> column = new LinkedHashMap<>();
    processes.forEach(p -> column.put(p, column.size()));
    Map<Long, Integer> sendRow = new LinkedHashMap<>();
    int width = COLUMN * Math.max(1, column.size()) + 40;
    int height = TOP + ROW * (events.size() + 1);
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">",
            width,
            height));
    b.append(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
    column.forEach(
        (p, i) -> {
          int x = x(i);
          b.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>",
                  x,
                  Html.escape(p)));
          b.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>",
                  x,
                  x,
                  height));
        });
    for (int row = 0; row < events.size(); row++) {
      Event ev = events.get(row);
      Journal.Arrival arrival = ev.arrival();
      if (arrival == null) {
        sendRow.put(ev.entry().id(), row);
        continue;
      }
      Journal.Entry e = ev.entry();
      int y1 = TOP + ROW * sendRow.getOrDefault(e.id(), row);
      int y2 = TOP + ROW * row;
      // every src and dest of a shown message was given a column above
      int x1 = x(Objects.requireNonNull(column.get(e.src())));
      int x2 = x(Objects.requireNonNull(column.get(e.dest())));
      String title =
          Html.escape(
              "#"
                  + e.id()
                  + " "
                  + e.src()
                  + " → "
                  + e.dest()
                  + " "
                  + e.body()
                  + (arrival.dropReason() == null ? "" : " — dropped: " + arrival.dropReason()));
      if (arrival.dropReason() == null) {
        b.append(
            String.format(
                Locale.ROOT,
                "<g><title>%s</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" marker-end=\"url(#arrow)\"/>",
                title,
                x1,
                y1,
                x2,
                y2,
                color(e)));
      } else {
        int xm = (x1 + x2) / 2;
        int ym = (y1 + y2) / 2;
        b.append(
            String.format(
                Locale.ROOT,
                "<g><title>%s</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"3,3\"/><text x=\"%d\" y=\"%d\" fill=\"#d62728\" text-anchor=\"middle\">✕</text>",
                title,
                x1,
                y1,
                xm,
                ym,
                xm,
                ym + 4));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"#333\">%s</text></g>",
              Math.min(x1, x2) + Math.abs(x2 - x1) / 2 + 3,
              (y1 + y2) / 2 - 2,
              Html.escape(e.type())));
    }
    return b.append("</svg>").toString();
  }

  private static int x(int column) {
    return 40 + COLUMN * column;
  }

  private static int rank(String process) {
    return process.startsWith("c") ? 0 : process.matches("n\\d+") ? 1 : 2;
  }

  private static String color(Journal.Entry e) {
    return e.src().startsWith("c") || e.dest().startsWith("c")
        ? "#1f77b4"
        : e.type().endsWith("_ok") ? "#2ca02c" : "#555";
  }
}
