package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code otlp-file stats}: counts what the files hold. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Counts records and items per signal, service, name and scope; time range, files, bytes.",
      "Exit status: 0 ok, 1 damaged records found (counted, and listed on standard error),"
          + " 2 bad usage."
    })
final class StatsCommand implements Callable<Integer> {
  static final int DEFAULT_MAX_NAMES = 1000;

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin JsonOption jsonOption;
  @Mixin DirectoryOption directoryOption;

  @Option(
      names = "--max-names",
      paramLabel = "N",
      description =
          "Distinct names kept per table; the rest are counted as \"other\" (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_MAX_NAMES)
  int maxNames = DEFAULT_MAX_NAMES;

  @Option(
      names = "--top",
      paramLabel = "N",
      description = "Rows printed per table in the text output (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int top = 10;

  @Override
  public Integer call() throws IOException {
    Console console = Console.of(spec, common);
    if (maxNames < 1 || top < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--max-names and --top must be >= 1");
    }
    Stats stats = new Stats(maxNames);
    try (OtlpFileReader reader =
        OtlpFileReader.builder()
            .setMaxProblems(0)
            .setProblemListener(
                p -> {
                  stats.problems.count(p);
                  stats.file(p.getFile());
                  console.error(null, Problems.line(p));
                })
            .open(directoryOption.inputs().toArray(new Path[0]))) {
      for (OtlpRecord record : reader) {
        stats.add(record);
      }
      stats.files = reader.getFilesRead();
    }
    if (jsonOption.json) {
      stats.writeJson(console.out());
    } else {
      stats.writeText(console, top);
    }
    console.out().flush();
    return stats.problems.total() == 0 ? CliErrors.OK : CliErrors.INVALID;
  }

  /** The counts. Not thread-safe. */
  static final class Stats {
    final Problems problems = new Problems();
    final Map<OtlpSignal, long[]> perSignal = new EnumMap<>(OtlpSignal.class);
    final CappedCounts services;
    final CappedCounts spanNames;
    final CappedCounts metricNames;
    final CappedCounts scopes;
    final Set<Path> seenFiles = new HashSet<>();
    long files;
    long bytes;
    long records;
    long spans;
    long points;
    long logs;
    long minTime = -1;
    long maxTime = 0;
    private Path lastFile;

    Stats(int maxNames) {
      services = new CappedCounts(maxNames);
      spanNames = new CappedCounts(maxNames);
      metricNames = new CappedCounts(maxNames);
      scopes = new CappedCounts(maxNames);
      for (OtlpSignal signal : OtlpSignal.values()) {
        perSignal.put(signal, new long[3]);
      }
    }

    void file(Path file) {
      if (file.equals(lastFile)) {
        return;
      }
      lastFile = file;
      // Bounded: one entry per file read, a few hundred bytes each.
      if (seenFiles.add(file)) {
        try {
          if (Files.isRegularFile(file)) {
            bytes += Files.size(file);
          }
        } catch (IOException e) {
          // Counted as a problem by the reader if it could not be read at all.
        }
      }
    }

    void add(OtlpRecord record) {
      file(record.getFile());
      records++;
      long[] signal = perSignal.get(record.getSignal());
      signal[0]++;
      signal[2] += record.getSizeBytes();
      long before = spans + points + logs;
      switch (record.getSignal()) {
        case TRACES:
          traces(record.getTraceRequest());
          break;
        case METRICS:
          metrics(record.getMetricsRequest());
          break;
        default:
          logs(record.getLogsRequest());
      }
      signal[1] += spans + points + logs - before;
    }

    private void time(long unixNanos) {
      if (unixNanos == 0) {
        return;
      }
      if (minTime == -1 || Long.compareUnsigned(unixNanos, minTime) < 0) {
        minTime = unixNanos;
      }
      if (Long.compareUnsigned(unixNanos, maxTime) > 0) {
        maxTime = unixNanos;
      }
    }

    private void traces(ExportTraceServiceRequest request) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        String service = serviceOf(RecordFilter.serviceName(rs.getResource()));
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          int n = ss.getSpansCount();
          scopes.add(scopeOf(ss.getScope()), n);
          services.add(service, n);
          spans += n;
          for (Span span : ss.getSpansList()) {
            spanNames.add(span.getName(), 1);
            time(span.getStartTimeUnixNano());
            time(span.getEndTimeUnixNano());
          }
        }
      }
    }

    private void metrics(ExportMetricsServiceRequest request) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        String service = serviceOf(RecordFilter.serviceName(rm.getResource()));
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          String scope = scopeOf(sm.getScope());
          for (Metric metric : sm.getMetricsList()) {
            int n = points(metric);
            metricNames.add(metric.getName(), n);
            scopes.add(scope, n);
            services.add(service, n);
            points += n;
          }
        }
      }
    }

    private int points(Metric metric) {
      switch (metric.getDataCase()) {
        case GAUGE:
          for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
            time(p.getTimeUnixNano());
          }
          return metric.getGauge().getDataPointsCount();
        case SUM:
          for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
            time(p.getTimeUnixNano());
          }
          return metric.getSum().getDataPointsCount();
        case HISTOGRAM:
          for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
            time(p.getTimeUnixNano());
          }
          return metric.getHistogram().getDataPointsCount();
        case EXPONENTIAL_HISTOGRAM:
          for (ExponentialHistogramDataPoint p :
              metric.getExponentialHistogram().getDataPointsList()) {
            time(p.getTimeUnixNano());
          }
          return metric.getExponentialHistogram().getDataPointsCount();
        case SUMMARY:
          for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
            time(p.getTimeUnixNano());
          }
          return metric.getSummary().getDataPointsCount();
        default:
          return 0;
      }
    }

    private void logs(ExportLogsServiceRequest request) {
      for (ResourceLogs rl : request.getResourceLogsList()) {
        String service = serviceOf(RecordFilter.serviceName(rl.getResource()));
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          int n = sl.getLogRecordsCount();
          scopes.add(scopeOf(sl.getScope()), n);
          services.add(service, n);
          logs += n;
          for (LogRecord log : sl.getLogRecordsList()) {
            time(
                log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano());
          }
        }
      }
    }

    private static String serviceOf(String name) {
      return name == null ? "(no service.name)" : name;
    }

    private static String scopeOf(InstrumentationScope scope) {
      String name = scope.getName().isEmpty() ? "(no scope name)" : scope.getName();
      return scope.getVersion().isEmpty() ? name : name + " " + scope.getVersion();
    }

    void writeJson(PrintWriter out) throws IOException {
      JsonGenerator json = new JsonFactory().createGenerator(out);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setCharacterEscapes(OtlpJsonWriter.TerminalSafeEscapes.INSTANCE);
      json.writeStartObject();
      json.writeNumberField("files", files);
      json.writeNumberField("bytes", bytes);
      json.writeNumberField("records", records);
      json.writeNumberField("spans", spans);
      json.writeNumberField("metricDataPoints", points);
      json.writeNumberField("logRecords", logs);
      json.writeNumberField("invalidRecords", problems.invalidRecords());
      json.writeNumberField("truncatedTails", problems.count(OtlpFileProblem.Kind.TRUNCATED_TAIL));
      json.writeNumberField(
          "corruptCompression", problems.count(OtlpFileProblem.Kind.CORRUPT_COMPRESSION));
      json.writeNumberField(
          "unreadableFiles", problems.count(OtlpFileProblem.Kind.UNREADABLE_FILE));
      json.writeNumberField("problems", problems.total());
      if (minTime != -1) {
        json.writeStringField("firstTime", HumanPrinter.time(minTime));
        json.writeStringField("lastTime", HumanPrinter.time(maxTime));
      } else {
        json.writeNullField("firstTime");
        json.writeNullField("lastTime");
      }
      json.writeObjectFieldStart("signals");
      for (Map.Entry<OtlpSignal, long[]> e : perSignal.entrySet()) {
        json.writeObjectFieldStart(e.getKey().getDirectoryName());
        json.writeNumberField("records", e.getValue()[0]);
        json.writeNumberField("items", e.getValue()[1]);
        json.writeNumberField("recordBytes", e.getValue()[2]);
        json.writeEndObject();
      }
      json.writeEndObject();
      services.writeJson(json, "services");
      spanNames.writeJson(json, "spanNames");
      metricNames.writeJson(json, "metricNames");
      scopes.writeJson(json, "scopes");
      json.writeEndObject();
      json.flush();
      out.println();
    }

    void writeText(Console console, int top) {
      PrintWriter out = console.out();
      out.printf(
          Locale.ROOT,
          "%d files, %s, %d records: %d spans, %d metric data points, %d log records%n",
          files,
          bytes(bytes),
          records,
          spans,
          points,
          logs);
      if (minTime != -1) {
        out.printf(
            Locale.ROOT,
            "time range %s .. %s%n",
            HumanPrinter.time(minTime),
            HumanPrinter.time(maxTime));
      }
      if (problems.total() > 0) {
        out.println(
            console.style(
                Console.RED,
                String.format(
                    Locale.ROOT,
                    "problems: %d (invalid records %d, truncated tails %d, other %d)",
                    problems.total(),
                    problems.invalidRecords(),
                    problems.count(OtlpFileProblem.Kind.TRUNCATED_TAIL),
                    problems.total()
                        - problems.invalidRecords()
                        - problems.count(OtlpFileProblem.Kind.TRUNCATED_TAIL))));
      }
      out.println();
      out.printf(Locale.ROOT, "%-10s %10s %12s %14s%n", "signal", "records", "items", "bytes");
      for (Map.Entry<OtlpSignal, long[]> e : perSignal.entrySet()) {
        out.printf(
            Locale.ROOT,
            "%-10s %10d %12d %14s%n",
            e.getKey().getDirectoryName(),
            e.getValue()[0],
            e.getValue()[1],
            bytes(e.getValue()[2]));
      }
      services.writeText(console, "service", "items", top);
      spanNames.writeText(console, "span name", "spans", top);
      metricNames.writeText(console, "metric name", "points", top);
      scopes.writeText(console, "scope", "items", top);
    }

    static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      if (n < 1024L * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
      }
      if (n < 1024L * 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
      }
      return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
  }
}
