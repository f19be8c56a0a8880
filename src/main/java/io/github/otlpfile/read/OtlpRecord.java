package io.github.otlpfile.read;

import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * One record of an OTLP file: one OTLP export request, as the {@code opentelemetry-proto} message
 * and as OpenTelemetry SDK data.
 *
 * <p>The SDK data is made from the message the first time it is asked for and kept.
 *
 * <p>Not thread-safe until the SDK data has been made once; immutable after.
 */
public final class OtlpRecord {
  private final OtlpSignal signal;
  private final Path file;
  private final OtlpFileFormat format;
  private final long position;
  private final int sizeBytes;
  private final Message request;
  private List<?> sdkData;

  OtlpRecord(
      OtlpSignal signal,
      Path file,
      OtlpFileFormat format,
      long position,
      int sizeBytes,
      Message request) {
    this.signal = signal;
    this.file = file;
    this.format = format;
    this.position = position;
    this.sizeBytes = sizeBytes;
    this.request = request;
  }

  /** The signal of this record. */
  public OtlpSignal getSignal() {
    return signal;
  }

  /** The file this record was read from. */
  public Path getFile() {
    return file;
  }

  /** The format of the file, which gives {@link #getPosition()} its unit. */
  public OtlpFileFormat getFormat() {
    return format;
  }

  /**
   * Where the record starts in the file's uncompressed content: the 1-based line number for {@link
   * OtlpFileFormat#JSON_LINES}, the byte offset of its length prefix for {@link
   * OtlpFileFormat#PROTOBUF}.
   */
  public long getPosition() {
    return position;
  }

  /** The size of the record in the file, without its line end or length prefix. */
  public int getSizeBytes() {
    return sizeBytes;
  }

  /**
   * The request: an {@link ExportTraceServiceRequest}, {@link ExportMetricsServiceRequest} or
   * {@link ExportLogsServiceRequest}, as {@link #getSignal()} says.
   */
  public Message getRequest() {
    return request;
  }

  /**
   * The request of a {@link OtlpSignal#TRACES} record.
   *
   * @throws IllegalStateException if this record holds another signal
   */
  public ExportTraceServiceRequest getTraceRequest() {
    return requestOf(OtlpSignal.TRACES, ExportTraceServiceRequest.class);
  }

  /**
   * The request of a {@link OtlpSignal#METRICS} record.
   *
   * @throws IllegalStateException if this record holds another signal
   */
  public ExportMetricsServiceRequest getMetricsRequest() {
    return requestOf(OtlpSignal.METRICS, ExportMetricsServiceRequest.class);
  }

  /**
   * The request of a {@link OtlpSignal#LOGS} record.
   *
   * @throws IllegalStateException if this record holds another signal
   */
  public ExportLogsServiceRequest getLogsRequest() {
    return requestOf(OtlpSignal.LOGS, ExportLogsServiceRequest.class);
  }

  /** The spans of a traces record as SDK data, in file order; empty for other signals. */
  @SuppressWarnings("unchecked")
  public List<SpanData> getSpans() {
    if (signal != OtlpSignal.TRACES) {
      return Collections.emptyList();
    }
    if (sdkData == null) {
      sdkData = ProtoToSdk.spans((ExportTraceServiceRequest) request);
    }
    return (List<SpanData>) sdkData;
  }

  /** The metrics of a metrics record as SDK data, in file order; empty for other signals. */
  @SuppressWarnings("unchecked")
  public List<MetricData> getMetrics() {
    if (signal != OtlpSignal.METRICS) {
      return Collections.emptyList();
    }
    if (sdkData == null) {
      sdkData = ProtoToSdk.metrics((ExportMetricsServiceRequest) request);
    }
    return (List<MetricData>) sdkData;
  }

  /** The log records of a logs record as SDK data, in file order; empty for other signals. */
  @SuppressWarnings("unchecked")
  public List<LogRecordData> getLogRecords() {
    if (signal != OtlpSignal.LOGS) {
      return Collections.emptyList();
    }
    if (sdkData == null) {
      sdkData = ProtoToSdk.logRecords((ExportLogsServiceRequest) request);
    }
    return (List<LogRecordData>) sdkData;
  }

  /**
   * The number of items in the record, counted on the message without making SDK data: spans,
   * metric data points, or log records.
   */
  public int getItemCount() {
    return itemCount(request);
  }

  static int itemCount(Message request) {
    int count = 0;
    if (request instanceof ExportTraceServiceRequest) {
      for (ResourceSpans resource : ((ExportTraceServiceRequest) request).getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          count += scope.getSpansCount();
        }
      }
    } else if (request instanceof ExportMetricsServiceRequest) {
      for (ResourceMetrics resource :
          ((ExportMetricsServiceRequest) request).getResourceMetricsList()) {
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            count += pointCount(metric);
          }
        }
      }
    } else if (request instanceof ExportLogsServiceRequest) {
      for (ResourceLogs resource : ((ExportLogsServiceRequest) request).getResourceLogsList()) {
        for (ScopeLogs scope : resource.getScopeLogsList()) {
          count += scope.getLogRecordsCount();
        }
      }
    }
    return count;
  }

  private static int pointCount(Metric metric) {
    switch (metric.getDataCase()) {
      case GAUGE:
        return metric.getGauge().getDataPointsCount();
      case SUM:
        return metric.getSum().getDataPointsCount();
      case HISTOGRAM:
        return metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return metric.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }

  static OtlpSignal signalOf(Message request) {
    if (request instanceof ExportTraceServiceRequest) {
      return OtlpSignal.TRACES;
    }
    if (request instanceof ExportMetricsServiceRequest) {
      return OtlpSignal.METRICS;
    }
    return OtlpSignal.LOGS;
  }

  private <T extends Message> T requestOf(OtlpSignal wanted, Class<T> type) {
    if (signal != wanted) {
      throw new IllegalStateException(
          "this record holds " + signal + ", not " + wanted + ": " + this);
    }
    return type.cast(request);
  }

  @Override
  public String toString() {
    return signal
        + " record at "
        + file
        + " "
        + OtlpFileProblem.describe(format, position)
        + " ("
        + sizeBytes
        + " bytes)";
  }
}
