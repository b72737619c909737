package dev.heddle.sim.internal.report;

import dev.heddle.sim.internal.nemesis.Nemesis;
import java.util.List;
import java.util.Locale;

/** A plot area in SVG: axes, ticks, shaded nemesis periods; callers add marks in data units. */
final class Svg {
  static final int WIDTH = 900;
  static final int HEIGHT = 260;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 15;
  private static final int BOTTOM = 35;
  private final StringBuilder b = new StringBuilder();
  private final double xMax;
  private final double yMax;

  Svg(double xMax, double yMax, String xLabel, String yLabel) {
    this.xMax = Math.max(xMax, 1e-9);
    this.yMax = Math.max(yMax, 1e-9);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">");
    b.append("<rect x=\"0\" y=\"0\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" fill=\"#fff\"/>");
    for (int i = 0; i <= 5; i++) {
      double yv = this.yMax * i / 5;
      double y = y(yv);
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
              LEFT,
              y,
              WIDTH - RIGHT,
              y));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              LEFT - 4,
              y + 4,
              fmt(yv)));
      double xv = this.xMax * i / 5;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              x(xv),
              HEIGHT - BOTTOM + 14,
              fmt(xv)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            (LEFT + WIDTH - RIGHT) / 2,
            HEIGHT - 4,
            Html.escape(xLabel)));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
            HEIGHT / 2,
            HEIGHT / 2,
            Html.escape(yLabel)));
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
            LEFT,
            TOP,
            WIDTH - LEFT - RIGHT,
            HEIGHT - TOP - BOTTOM));
  }

  double x(double v) {
    return LEFT + (WIDTH - LEFT - RIGHT) * Math.min(v, xMax) / xMax;
  }

  double y(double v) {
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * Math.min(v, yMax) / yMax;
  }

  /** Shades the nemesis periods (times in seconds from the loop start), with their fault names. */
  Svg periods(List<Nemesis.Period> periods, double endSeconds) {
    for (Nemesis.Period p : periods) {
      double s = p.startNanos() / 1e9;
      double e = p.endNanos() < 0 ? endSeconds : p.endNanos() / 1e9;
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.18\"><title>%s</title></rect>",
              x(s),
              TOP,
              Math.max(1, x(e) - x(s)),
              HEIGHT - TOP - BOTTOM,
              color(p.fault()),
              Html.escape(p.description())));
    }
    return this;
  }

  Svg point(double xv, double yv, String fill) {
    b.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"%s\"/>",
            x(xv),
            y(yv),
            fill));
    return this;
  }

  Svg line(List<double[]> points, String stroke, String label) {
    if (points.isEmpty()) {
      return this;
    }
    b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
        .append(stroke)
        .append("\" points=\"");
    for (double[] p : points) {
      b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0]), y(p[1])));
    }
    b.append("\"><title>").append(Html.escape(label)).append("</title></polyline>");
    return this;
  }

  Svg legend(int slot, String color, String label) {
    int lx = LEFT + 10 + slot * 110;
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
            lx,
            TOP + 4,
            color,
            lx + 14,
            TOP + 13,
            Html.escape(label)));
    return this;
  }

  String done() {
    return b + "</svg>";
  }

  static String color(String fault) {
    return switch (fault) {
      case "partition" -> "#d62728";
      case "kill" -> "#9467bd";
      case "pause" -> "#8c564b";
      case "loss" -> "#ff7f0e";
      case "duplicate" -> "#17becf";
      default -> "#bcbd22";
    };
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.0f", v);
  }
}
