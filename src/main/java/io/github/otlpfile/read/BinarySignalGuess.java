package io.github.otlpfile.read;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;

/**
 * Tells the signal of a binary record from its content, for files whose name does not say it. The
 * three request types share their top-level field number, so each is tried: the right one parses
 * with no unknown fields and with ids of the right lengths; a record that fits none or more than
 * one is left undecided.
 *
 * <p>Thread-safe.
 */
final class BinarySignalGuess {
  private BinarySignalGuess() {}

  /** The record parsed as the one signal it fits, or {@code null} if it fits none or several. */
  static Message guess(byte[] bytes, int size) {
    Message found = null;
    for (OtlpSignal signal : OtlpSignal.values()) {
      Message request;
      try {
        request = BinarySource.parse(signal, bytes, size);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        continue;
      }
      if (fits(request) && !hasUnknownFields(request)) {
        if (found != null) {
          return null;
        }
        found = request;
      }
    }
    return found;
  }

  /** Whether the request has items and their ids and data are as its signal has them. */
  static boolean fits(Message request) {
    int items = 0;
    if (request instanceof ExportTraceServiceRequest) {
      for (ResourceSpans resource : ((ExportTraceServiceRequest) request).getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
              return false;
            }
            items++;
          }
        }
      }
    } else if (request instanceof ExportMetricsServiceRequest) {
      for (ResourceMetrics resource :
          ((ExportMetricsServiceRequest) request).getResourceMetricsList()) {
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            if (metric.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
              return false;
            }
            items++;
          }
        }
      }
    } else {
      for (ResourceLogs resource : ((ExportLogsServiceRequest) request).getResourceLogsList()) {
        for (ScopeLogs scope : resource.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            int traceId = log.getTraceId().size();
            int spanId = log.getSpanId().size();
            if ((traceId != 0 && traceId != 16) || (spanId != 0 && spanId != 8)) {
              return false;
            }
            items++;
          }
        }
      }
    }
    return items > 0;
  }

  private static boolean hasUnknownFields(Message message) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          if (hasUnknownFields((Message) item)) {
            return true;
          }
        }
      } else if (hasUnknownFields((Message) field.getValue())) {
        return true;
      }
    }
    return false;
  }
}
