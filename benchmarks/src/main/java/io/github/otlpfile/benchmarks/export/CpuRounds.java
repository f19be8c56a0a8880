package io.github.otlpfile.benchmarks.export;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Process CPU time per exported-and-awaited batch for several candidates in one JVM, measured in
 * alternating rounds: every round runs each candidate for the same wall time, in a rotating order,
 * so that whatever else the machine does at the time weighs on all of them alike. On a machine that
 * is not idle this gives steadier ratios than JMH's forks, which run one candidate after the other;
 * the price is one JIT profile shared by all candidates (the OpenTelemetry marshalers see several
 * output streams), so absolute numbers can differ from a fork per candidate.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.otlpfile.benchmarks.export.CpuRounds \
 *     [--signal traces] [--rounds 15] [--round-ms 1000] [--warmup-rounds 5] [--reference NAME] \
 *     candidate[,candidate...]
 * </pre>
 *
 * Prints, per candidate, its batches per second over all measured rounds, the median and the
 * quartiles of CPU µs per batch over the rounds and the median of its per-round ratio to the
 * reference candidate (by default the first). Candidate names are those of {@link
 * ExportBenchmark}'s {@code exporter} parameter.
 */
public final class CpuRounds {
  private CpuRounds() {}

  public static void main(String[] args) throws IOException {
    String signal = "traces";
    int rounds = 15;
    int warmupRounds = 5;
    long roundMillis = 1000;
    String reference = null;
    String names = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--signal":
          signal = args[++i];
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          break;
        case "--warmup-rounds":
          warmupRounds = Integer.parseInt(args[++i]);
          break;
        case "--round-ms":
          roundMillis = Long.parseLong(args[++i]);
          break;
        case "--reference":
          reference = args[++i];
          break;
        default:
          if (args[i].startsWith("--") || names != null) {
            throw new IllegalArgumentException("CpuRounds: unexpected argument " + args[i]);
          }
          names = args[i];
      }
    }
    if (names == null) {
      throw new IllegalArgumentException("CpuRounds: name the candidates, comma-separated");
    }
    List<String> candidates = Arrays.asList(names.split(","));
    if (reference == null) {
      reference = candidates.get(0);
    }
    int ref = candidates.indexOf(reference);
    if (ref < 0) {
      throw new IllegalArgumentException("CpuRounds: reference " + reference + " is not measured");
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @SuppressWarnings("unchecked")
    SignalKind<Object> kind = (SignalKind<Object>) SignalKind.of(signal);
    List<Object> batch = kind.data();
    Path directory = Files.createTempDirectory(ExportBenchmark.baseDirectory(), "cpu-rounds-");
    List<Candidate<Object>> exporters = new ArrayList<>();
    try {
      for (String name : candidates) {
        exporters.add(Candidate.create(kind, name, directory.resolve(name)));
      }
      int n = candidates.size();
      double[][] cpuPerBatch = new double[n][rounds];
      long[] batchesMeasured = new long[n];
      long[] nanosMeasured = new long[n];
      for (int round = -warmupRounds; round < rounds; round++) {
        for (int k = 0; k < n; k++) {
          int c = Math.floorMod(round + k, n); // rotate the order from round to round
          Candidate<Object> exporter = exporters.get(c);
          long batches = 0;
          long cpuStart = os.getProcessCpuTime();
          long wallStart = System.nanoTime();
          long wallEnd = wallStart + roundMillis * 1_000_000;
          long now;
          do {
            Candidate.join(exporter.export(batch), candidates.get(c));
            batches++;
          } while ((now = System.nanoTime()) < wallEnd);
          long cpu = os.getProcessCpuTime() - cpuStart;
          exporter.afterIteration();
          if (round >= 0) {
            cpuPerBatch[c][round] = cpu / 1e3 / batches;
            batchesMeasured[c] += batches;
            nanosMeasured[c] += now - wallStart;
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s, %d rounds of %d ms per candidate after %d warm-up rounds; CPU µs per batch%n",
          signal,
          rounds,
          roundMillis,
          warmupRounds);
      System.out.printf(
          Locale.ROOT,
          "%-24s %10s %10s %10s %10s %14s%n",
          "candidate",
          "batches/s",
          "median",
          "q1",
          "q3",
          "vs " + reference);
      for (int c = 0; c < n; c++) {
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratios[r] = cpuPerBatch[c][r] / cpuPerBatch[ref][r];
        }
        double[] sorted = cpuPerBatch[c].clone();
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "%-24s %10.0f %10.0f %10.0f %10.0f %13.3fx%n",
            candidates.get(c),
            batchesMeasured[c] * 1e9 / nanosMeasured[c],
            quantile(sorted, 0.5),
            quantile(sorted, 0.25),
            quantile(sorted, 0.75),
            median(ratios));
      }
    } finally {
      for (Candidate<Object> exporter : exporters) {
        exporter.close();
      }
      Candidate.deleteTree(directory);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return quantile(sorted, 0.5);
  }

  private static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  }
}
