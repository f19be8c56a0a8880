package io.github.otlpfile.cli;

import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the commands tell from a file's name and a request's type, by the reader's rules: the format
 * from the extension, the signal from a {@code traces}/{@code metrics}/{@code logs} folder or file
 * name prefix.
 */
final class OtlpRecords {
  private OtlpRecords() {}

  /** The format of a file name by its extension ({@code .gz} allowed), {@code null} if none. */
  static OtlpFileFormat formatOf(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
      return OtlpFileFormat.JSON_LINES;
    }
    if (name.endsWith(".binpb") || name.endsWith(".pb")) {
      return OtlpFileFormat.PROTOBUF;
    }
    return null;
  }

  /** The signal a file's name or folder says, {@code null} if neither says one. */
  static OtlpSignal signalOfPath(Path file) {
    String name = file.getFileName().toString();
    for (OtlpSignal signal : OtlpSignal.values()) {
      String prefix = signal.getDirectoryName();
      if (name.startsWith(prefix)
          && name.length() > prefix.length()
          && "-._".indexOf(name.charAt(prefix.length())) >= 0) {
        return signal;
      }
    }
    Path parent = file.getParent();
    if (parent != null && parent.getFileName() != null) {
      String folder = parent.getFileName().toString();
      for (OtlpSignal signal : OtlpSignal.values()) {
        if (signal.getDirectoryName().equals(folder)) {
          return signal;
        }
      }
    }
    return null;
  }

  static OtlpSignal signalOf(Message request) {
    if (request instanceof ExportTraceServiceRequest) {
      return OtlpSignal.TRACES;
    }
    if (request instanceof ExportMetricsServiceRequest) {
      return OtlpSignal.METRICS;
    }
    if (request instanceof ExportLogsServiceRequest) {
      return OtlpSignal.LOGS;
    }
    throw new IllegalArgumentException("not an OTLP request: " + request.getClass().getName());
  }
}
