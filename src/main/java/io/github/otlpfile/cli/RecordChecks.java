package io.github.otlpfile.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Consumer;

/**
 * The OTLP rules checked on a decoded request: trace ids of 16 bytes and span ids of 8, not all
 * zero where required (spans) and empty or valid where optional (parents, links' spans, log
 * records, exemplars); enum values the specification defines (span kind, status code, severity
 * number, aggregation temporality). Each violation names the item's path in the request.
 *
 * <p>Thread-safe (stateless).
 */
final class RecordChecks {
  private RecordChecks() {}

  /** Calls {@code violations} with each rule {@code request} breaks. */
  static void check(Message request, Consumer<String> violations) {
    if (request instanceof ExportTraceServiceRequest) {
      traces((ExportTraceServiceRequest) request, violations);
    } else if (request instanceof ExportMetricsServiceRequest) {
      metrics((ExportMetricsServiceRequest) request, violations);
    } else if (request instanceof ExportLogsServiceRequest) {
      logs((ExportLogsServiceRequest) request, violations);
    }
  }

  private static void traces(ExportTraceServiceRequest request, Consumer<String> violations) {
    List<ResourceSpans> resources = request.getResourceSpansList();
    for (int r = 0; r < resources.size(); r++) {
      List<ScopeSpans> scopes = resources.get(r).getScopeSpansList();
      for (int s = 0; s < scopes.size(); s++) {
        List<Span> spans = scopes.get(s).getSpansList();
        for (int i = 0; i < spans.size(); i++) {
          Span span = spans.get(i);
          String at = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
          id(violations, at + ".traceId", span.getTraceId(), 16, true);
          id(violations, at + ".spanId", span.getSpanId(), 8, true);
          id(violations, at + ".parentSpanId", span.getParentSpanId(), 8, false);
          if (span.getKindValue() < 0 || span.getKindValue() > 5) {
            violations.accept(at + ".kind: " + span.getKindValue() + " is not a span kind (0..5)");
          }
          int code = span.getStatus().getCodeValue();
          if (code < 0 || code > 2) {
            violations.accept(at + ".status.code: " + code + " is not a status code (0..2)");
          }
          if (Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) < 0) {
            violations.accept(at + ": ends before it starts");
          }
          for (int l = 0; l < span.getLinksCount(); l++) {
            id(
                violations,
                at + ".links[" + l + "].traceId",
                span.getLinks(l).getTraceId(),
                16,
                true);
            id(violations, at + ".links[" + l + "].spanId", span.getLinks(l).getSpanId(), 8, true);
          }
        }
      }
    }
  }

  private static void metrics(ExportMetricsServiceRequest request, Consumer<String> violations) {
    List<ResourceMetrics> resources = request.getResourceMetricsList();
    for (int r = 0; r < resources.size(); r++) {
      List<ScopeMetrics> scopes = resources.get(r).getScopeMetricsList();
      for (int s = 0; s < scopes.size(); s++) {
        List<Metric> metrics = scopes.get(s).getMetricsList();
        for (int m = 0; m < metrics.size(); m++) {
          metric(
              metrics.get(m),
              "resourceMetrics[" + r + "].scopeMetrics[" + s + "].metrics[" + m + "]",
              violations);
        }
      }
    }
  }

  private static void metric(Metric metric, String at, Consumer<String> violations) {
    switch (metric.getDataCase()) {
      case GAUGE:
        numberPoints(metric.getGauge().getDataPointsList(), at + ".gauge", violations);
        break;
      case SUM:
        temporality(metric.getSum().getAggregationTemporalityValue(), at + ".sum", violations);
        numberPoints(metric.getSum().getDataPointsList(), at + ".sum", violations);
        break;
      case HISTOGRAM:
        temporality(
            metric.getHistogram().getAggregationTemporalityValue(), at + ".histogram", violations);
        List<HistogramDataPoint> points = metric.getHistogram().getDataPointsList();
        for (int i = 0; i < points.size(); i++) {
          HistogramDataPoint p = points.get(i);
          String pat = at + ".histogram.dataPoints[" + i + "]";
          if (p.getBucketCountsCount() > 0
              && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
            violations.accept(
                pat
                    + ": "
                    + p.getBucketCountsCount()
                    + " bucket counts for "
                    + p.getExplicitBoundsCount()
                    + " bounds; there must be one more count than bounds");
          }
          exemplars(p.getExemplarsList(), pat, violations);
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        temporality(
            metric.getExponentialHistogram().getAggregationTemporalityValue(),
            at + ".exponentialHistogram",
            violations);
        List<ExponentialHistogramDataPoint> exp =
            metric.getExponentialHistogram().getDataPointsList();
        for (int i = 0; i < exp.size(); i++) {
          exemplars(
              exp.get(i).getExemplarsList(),
              at + ".exponentialHistogram.dataPoints[" + i + "]",
              violations);
        }
        break;
      case SUMMARY:
        break;
      default:
        violations.accept(at + ": a metric without data (no gauge, sum, histogram or summary)");
    }
  }

  private static void numberPoints(
      List<NumberDataPoint> points, String at, Consumer<String> violations) {
    for (int i = 0; i < points.size(); i++) {
      exemplars(points.get(i).getExemplarsList(), at + ".dataPoints[" + i + "]", violations);
    }
  }

  private static void temporality(int value, String at, Consumer<String> violations) {
    if (value < 0 || value > 2) {
      violations.accept(at + ".aggregationTemporality: " + value + " is not a temporality (0..2)");
    }
  }

  private static void exemplars(List<Exemplar> exemplars, String at, Consumer<String> violations) {
    for (int i = 0; i < exemplars.size(); i++) {
      id(
          violations,
          at + ".exemplars[" + i + "].traceId",
          exemplars.get(i).getTraceId(),
          16,
          false);
      id(violations, at + ".exemplars[" + i + "].spanId", exemplars.get(i).getSpanId(), 8, false);
    }
  }

  private static void logs(ExportLogsServiceRequest request, Consumer<String> violations) {
    List<ResourceLogs> resources = request.getResourceLogsList();
    for (int r = 0; r < resources.size(); r++) {
      List<ScopeLogs> scopes = resources.get(r).getScopeLogsList();
      for (int s = 0; s < scopes.size(); s++) {
        List<LogRecord> logs = scopes.get(s).getLogRecordsList();
        for (int i = 0; i < logs.size(); i++) {
          LogRecord log = logs.get(i);
          String at = "resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]";
          id(violations, at + ".traceId", log.getTraceId(), 16, false);
          id(violations, at + ".spanId", log.getSpanId(), 8, false);
          if (log.getSeverityNumberValue() < 0 || log.getSeverityNumberValue() > 24) {
            violations.accept(
                at
                    + ".severityNumber: "
                    + log.getSeverityNumberValue()
                    + " is not a severity number (0..24)");
          }
        }
      }
    }
  }

  private static void id(
      Consumer<String> violations, String at, ByteString id, int bytes, boolean required) {
    if (id.isEmpty()) {
      if (required) {
        violations.accept(at + ": missing (must be " + bytes + " bytes)");
      }
      return;
    }
    if (id.size() != bytes) {
      violations.accept(at + ": " + id.size() + " bytes, must be " + bytes);
      return;
    }
    for (int i = 0; i < bytes; i++) {
      if (id.byteAt(i) != 0) {
        return;
      }
    }
    violations.accept(at + ": all zeros, which is not a valid id");
  }
}
