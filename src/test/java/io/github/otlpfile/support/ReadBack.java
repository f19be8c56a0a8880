package io.github.otlpfile.support;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The public {@link OtlpFileReader}'s records, collected into lists for assertions. */
public final class ReadBack {
  private ReadBack() {}

  /** Every record of {@code signal} in {@code paths}, in file order; damage fails (strict). */
  public static List<OtlpRecord> records(OtlpSignal signal, Path... paths) {
    List<OtlpRecord> records = new ArrayList<>();
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setStrict(true).setSignals(signal).open(paths)) {
      reader.forEach(records::add);
    }
    return records;
  }

  public static List<ExportTraceServiceRequest> traceRequests(Path... paths) {
    return records(OtlpSignal.TRACES, paths).stream().map(OtlpRecord::getTraceRequest).toList();
  }

  public static List<ExportMetricsServiceRequest> metricsRequests(Path... paths) {
    return records(OtlpSignal.METRICS, paths).stream().map(OtlpRecord::getMetricsRequest).toList();
  }

  public static List<ExportLogsServiceRequest> logsRequests(Path... paths) {
    return records(OtlpSignal.LOGS, paths).stream().map(OtlpRecord::getLogsRequest).toList();
  }

  /** The names of the spans in a traces request, in file order. */
  public static List<String> spanNames(ExportTraceServiceRequest request) {
    List<String> names = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          names.add(span.getName());
        }
      }
    }
    return names;
  }

  /**
   * Reads one file leniently: the whole records and the damage found, such as a torn tail (a {@link
   * OtlpFileProblem.Kind#TRUNCATED_TAIL} problem).
   */
  public static FileRead leniently(Path file) {
    List<OtlpRecord> records = new ArrayList<>();
    try (OtlpFileReader reader = OtlpFileReader.open(file)) {
      reader.forEach(records::add);
      return new FileRead(file, records, reader.getProblems());
    }
  }

  /** What a lenient reader found in one file. */
  public record FileRead(Path file, List<OtlpRecord> records, List<OtlpFileProblem> problems) {
    /** The names of the spans in the whole records, in file order. */
    public List<String> spanNames() {
      List<String> names = new ArrayList<>();
      for (OtlpRecord record : records) {
        names.addAll(ReadBack.spanNames(record.getTraceRequest()));
      }
      return names;
    }

    /**
     * Where the whole records end: the position a torn tail is reported at (the next line, or the
     * byte after the last record).
     */
    public long endOfWholeRecords() {
      if (records.isEmpty()) {
        return file.getFileName().toString().contains(".jsonl") ? 1 : 0;
      }
      OtlpRecord last = records.get(records.size() - 1);
      return last.getFormat() == OtlpFileFormat.JSON_LINES
          ? last.getPosition() + 1
          : last.getPosition() + 4 + last.getSizeBytes();
    }
  }
}
