package io.github.otlpfile;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what the exporters wrote in {@link OtlpFileFormat#PROTOBUF}, for assertions. */
final class LocalFiles {
  private LocalFiles() {}

  /** The framed records of every {@code .binpb} file in {@code {directory}/{signal}/}. */
  static List<byte[]> records(Path directory, String signal) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(directory.resolve(signal))) {
      files = s.filter(p -> p.toString().endsWith(".binpb")).sorted().toList();
    }
    List<byte[]> records = new ArrayList<>();
    for (Path file : files) {
      ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
      while (buffer.remaining() >= 4) {
        byte[] record = new byte[buffer.getInt()];
        buffer.get(record);
        records.add(record);
      }
    }
    return records;
  }

  static List<String> spanNames(Path directory) throws IOException {
    List<String> names = new ArrayList<>();
    for (byte[] record : records(directory, "traces")) {
      for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(record).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            names.add(span.getName());
          }
        }
      }
    }
    return names;
  }

  static long metrics(Path directory) throws IOException {
    long count = 0;
    for (byte[] record : records(directory, "metrics")) {
      for (ResourceMetrics rm :
          ExportMetricsServiceRequest.parseFrom(record).getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          count += sm.getMetricsCount();
        }
      }
    }
    return count;
  }

  static long logRecords(Path directory) throws IOException {
    long count = 0;
    for (byte[] record : records(directory, "logs")) {
      for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(record).getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          count += sl.getLogRecordsCount();
        }
      }
    }
    return count;
  }
}
