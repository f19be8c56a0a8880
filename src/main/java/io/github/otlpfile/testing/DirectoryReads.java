package io.github.otlpfile.testing;

import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a test's directory back with the reader: every file of every writer, leaving out what
 * {@code clear()} cleared. A torn last record (a writer in the middle of a write) is left for the
 * next read; any other damage fails the read. Stateless.
 */
final class DirectoryReads {
  private static final int MAX_PROBLEMS_SHOWN = 10;
  // The instance id in {signal}-{time}-{instanceId}-{seq}.{ext}: one writer.
  private static final Pattern INSTANCE = Pattern.compile("-([0-9a-f]{12})-[0-9]+\\.");

  private DirectoryReads() {}

  static List<SpanData> spans(Path directory, Map<String, Long> cleared) {
    List<SpanData> spans = new ArrayList<>();
    read(directory, OtlpSignal.TRACES, cleared, r -> spans.addAll(r.getSpans()));
    return spans;
  }

  static List<LogRecordData> logRecords(Path directory, Map<String, Long> cleared) {
    List<LogRecordData> logs = new ArrayList<>();
    read(directory, OtlpSignal.LOGS, cleared, r -> logs.addAll(r.getLogRecords()));
    return logs;
  }

  /**
   * The metrics: a cumulative metric (or a gauge or summary) is the latest that its writer wrote of
   * it, as a writer exports its whole state each time; delta metrics are each export.
   */
  static List<MetricData> metrics(Path directory, Map<String, Long> cleared) {
    Map<List<Object>, MetricData> latest = new LinkedHashMap<>();
    int[] deltas = {0};
    read(
        directory,
        OtlpSignal.METRICS,
        cleared,
        r -> {
          String writer = writer(r.getFile());
          for (MetricData metric : r.getMetrics()) {
            List<Object> key = new ArrayList<>();
            key.add(writer);
            key.add(metric.getResource().getAttributes());
            key.add(metric.getInstrumentationScopeInfo());
            key.add(metric.getName());
            if (isDelta(metric)) {
              key.add(deltas[0]++);
            }
            latest.put(key, metric);
          }
        });
    return new ArrayList<>(latest.values());
  }

  private static boolean isDelta(MetricData metric) {
    AggregationTemporality temporality;
    switch (metric.getType()) {
      case LONG_SUM:
        temporality = metric.getLongSumData().getAggregationTemporality();
        break;
      case DOUBLE_SUM:
        temporality = metric.getDoubleSumData().getAggregationTemporality();
        break;
      case HISTOGRAM:
        temporality = metric.getHistogramData().getAggregationTemporality();
        break;
      case EXPONENTIAL_HISTOGRAM:
        temporality = metric.getExponentialHistogramData().getAggregationTemporality();
        break;
      default:
        return false; // gauges and summaries: each export is the current state
    }
    return temporality == AggregationTemporality.DELTA;
  }

  private static String writer(Path file) {
    Matcher m = INSTANCE.matcher(file.getFileName().toString());
    return m.find() ? m.group(1) : file.toString();
  }

  /** Per file, the position of the last record in it now. */
  static Map<String, Long> lastPositions(Path directory) {
    Map<String, Long> positions = new HashMap<>();
    for (OtlpSignal signal : OtlpSignal.values()) {
      read(
          directory,
          signal,
          new HashMap<String, Long>(),
          r -> positions.merge(key(r.getFile()), r.getPosition(), Math::max));
    }
    return positions;
  }

  private static void read(
      Path directory, OtlpSignal signal, Map<String, Long> cleared, Consumer<OtlpRecord> sink) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    List<OtlpFileProblem> problems = new ArrayList<>();
    try (OtlpFileReader reader = OtlpFileReader.builder().setSignals(signal).open(directory)) {
      for (OtlpRecord record : reader) {
        Long last = cleared.isEmpty() ? null : cleared.get(key(record.getFile()));
        if (last == null || record.getPosition() > last) {
          sink.accept(record);
        }
      }
      for (OtlpFileProblem problem : reader.getProblems()) {
        if (problem.getKind() != OtlpFileProblem.Kind.TRUNCATED_TAIL) {
          problems.add(problem);
        }
      }
    }
    if (!problems.isEmpty()) {
      StringBuilder message =
          new StringBuilder("the ")
              .append(signal.name().toLowerCase(java.util.Locale.ROOT))
              .append(" files in ")
              .append(directory)
              .append(" are damaged:");
      for (int i = 0; i < Math.min(problems.size(), MAX_PROBLEMS_SHOWN); i++) {
        message.append("\n  ").append(problems.get(i));
      }
      if (problems.size() > MAX_PROBLEMS_SHOWN) {
        message.append("\n  and ").append(problems.size() - MAX_PROBLEMS_SHOWN).append(" more");
      }
      throw new AssertionError(message.toString());
    }
  }

  // A file compressed after it was cleared keeps its records' positions (of the plain content).
  private static String key(Path file) {
    String name = file.toString();
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }
}
