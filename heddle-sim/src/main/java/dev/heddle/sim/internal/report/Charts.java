package dev.heddle.sim.internal.report;

import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's time charts: latency with quantiles, request rate, and messages per second. */
final class Charts {
  private static final String[] QUANTILE_COLORS = {"#1f77b4", "#9467bd", "#8c564b", "#111111"};
  private static final double[] QUANTILES = {0.5, 0.95, 0.99, 1};
  private static final List<Op.Type> OUTCOMES = List.of(Op.Type.OK, Op.Type.FAIL, Op.Type.INFO);

  private Charts() {}

  /** A completed op: when it was invoked (s), its latency (ms) and outcome. */
  private record Sample(double at, double latencyMs, Op.Type type) {}

  private static List<Sample> samples(RunData data) {
    List<Sample> out = new ArrayList<>();
    for (Checks.Pair p : Checks.pairs(data.history())) {
      Op done = p.completion();
      if (done != null) {
        out.add(
            new Sample(
                p.invoke().timeNanos() / 1e9,
                (done.timeNanos() - p.invoke().timeNanos()) / 1e6,
                done.type()));
      }
    }
    return out;
  }

  private static double bucket(double end) {
    return Math.max(0.25, Math.ceil(end / 60 * 4) / 4);
  }

  static String latency(RunData data) {
    List<Sample> samples = samples(data);
    double end = data.durationNanos() / 1e9;
    double maxLatency = samples.stream().mapToDouble(Sample::latencyMs).max().orElse(1);
    Svg svg =
        new Svg(end, maxLatency * 1.05, "time (s)", "latency (ms)").periods(data.periods(), end);
    for (Sample s : samples) {
      svg.point(s.at(), s.latencyMs(), color(s.type()));
    }
    double width = bucket(end);
    Map<Long, List<Double>> buckets = new TreeMap<>();
    samples.forEach(
        s ->
            buckets
                .computeIfAbsent((long) (s.at() / width), k -> new ArrayList<>())
                .add(s.latencyMs()));
    for (int q = 0; q < QUANTILES.length; q++) {
      List<double[]> line = new ArrayList<>();
      for (Map.Entry<Long, List<Double>> e : buckets.entrySet()) {
        List<Double> v = e.getValue();
        v.sort(null);
        line.add(
            new double[] {
              (e.getKey() + 0.5) * width,
              v.get(Math.min(v.size() - 1, (int) Math.floor(QUANTILES[q] * v.size())))
            });
      }
      svg.line(line, QUANTILE_COLORS[q], "quantile " + QUANTILES[q])
          .legend(q, QUANTILE_COLORS[q], "q " + QUANTILES[q]);
    }
    svg.legend(4, color(Op.Type.OK), "ok")
        .legend(5, color(Op.Type.FAIL), "fail")
        .legend(6, color(Op.Type.INFO), "info");
    return svg.done();
  }

  static String rate(RunData data) {
    List<Sample> samples = samples(data);
    double end = data.durationNanos() / 1e9;
    double width = bucket(end);
    int n = (int) Math.ceil(end / width) + 1;
    double[][] counts = new double[OUTCOMES.size()][n];
    for (Sample s : samples) {
      counts[OUTCOMES.indexOf(s.type())][(int) Math.min(n - 1, s.at() / width)] += 1 / width;
    }
    double max = 1;
    for (double[] c : counts) {
      for (double v : c) {
        max = Math.max(max, v);
      }
    }
    Svg svg = new Svg(end, max * 1.1, "time (s)", "ops/s").periods(data.periods(), end);
    for (int t = 0; t < OUTCOMES.size(); t++) {
      Op.Type type = OUTCOMES.get(t);
      List<double[]> line = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        line.add(new double[] {(i + 0.5) * width, counts[t][i]});
      }
      svg.line(line, color(type), type.key()).legend(t, color(type), type.key());
    }
    return svg.done();
  }

  static String messages(RunData data) {
    List<long[]> perSecond = data.net().perSecond();
    double end = Math.max(1, perSecond.size());
    double max = perSecond.stream().mapToDouble(c -> c[0]).max().orElse(1);
    Svg svg = new Svg(end, max * 1.1, "time (s)", "messages/s").periods(data.periods(), end);
    List<double[]> line = new ArrayList<>();
    for (int i = 0; i < perSecond.size(); i++) {
      line.add(new double[] {i + 0.5, perSecond.get(i)[0]});
    }
    return svg.line(line, "#1f77b4", "messages sent per second").done();
  }

  static String color(Op.Type type) {
    return switch (type) {
      case OK -> "#2ca02c";
      case FAIL -> "#d62728";
      case INFO -> "#ff7f0e";
      case INVOKE -> "#999";
    };
  }
}
