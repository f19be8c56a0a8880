package io.github.otlpfile.cli;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * The part of a request a {@link RecordFilter} selects, as a request of the same type: resources,
 * scopes and metrics are kept with every field, holding only the items that match; those left
 * without items are left out.
 *
 * <p>Thread-safe (stateless).
 */
final class RequestSelection {
  private RequestSelection() {}

  /** The selected part of {@code request}, {@code null} when no item matches. */
  static Message select(Message request, RecordFilter filter) {
    if (!filter.filtersItems()) {
      return request;
    }
    if (request instanceof ExportTraceServiceRequest) {
      return traces((ExportTraceServiceRequest) request, filter);
    }
    if (request instanceof ExportMetricsServiceRequest) {
      return metrics((ExportMetricsServiceRequest) request, filter);
    }
    return logs((ExportLogsServiceRequest) request, filter);
  }

  private static Message traces(ExportTraceServiceRequest request, RecordFilter filter) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      if (!filter.acceptsResource(rs.getResource())) {
        continue;
      }
      ResourceSpans.Builder rsOut = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder ssOut = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          if (filter.acceptsSpan(rs.getResource(), span)) {
            ssOut.addSpans(span);
          }
        }
        if (ssOut.getSpansCount() > 0) {
          rsOut.addScopeSpans(ssOut);
        }
      }
      if (rsOut.getScopeSpansCount() > 0) {
        out.addResourceSpans(rsOut);
      }
    }
    return out.getResourceSpansCount() > 0 ? out.build() : null;
  }

  private static Message logs(ExportLogsServiceRequest request, RecordFilter filter) {
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      if (!filter.acceptsResource(rl.getResource())) {
        continue;
      }
      ResourceLogs.Builder rlOut = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder slOut = sl.toBuilder().clearLogRecords();
        for (LogRecord log : sl.getLogRecordsList()) {
          if (filter.acceptsLog(rl.getResource(), log)) {
            slOut.addLogRecords(log);
          }
        }
        if (slOut.getLogRecordsCount() > 0) {
          rlOut.addScopeLogs(slOut);
        }
      }
      if (rlOut.getScopeLogsCount() > 0) {
        out.addResourceLogs(rlOut);
      }
    }
    return out.getResourceLogsCount() > 0 ? out.build() : null;
  }

  private static Message metrics(ExportMetricsServiceRequest request, RecordFilter filter) {
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      if (!filter.acceptsResource(rm.getResource())) {
        continue;
      }
      ResourceMetrics.Builder rmOut = rm.toBuilder().clearScopeMetrics();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder smOut = sm.toBuilder().clearMetrics();
        for (Metric metric : sm.getMetricsList()) {
          Metric selected = metric(rm.getResource(), metric, filter);
          if (selected != null) {
            smOut.addMetrics(selected);
          }
        }
        if (smOut.getMetricsCount() > 0) {
          rmOut.addScopeMetrics(smOut);
        }
      }
      if (rmOut.getScopeMetricsCount() > 0) {
        out.addResourceMetrics(rmOut);
      }
    }
    return out.getResourceMetricsCount() > 0 ? out.build() : null;
  }

  private static Metric metric(Resource resource, Metric metric, RecordFilter filter) {
    Metric.Builder out = metric.toBuilder();
    String name = metric.getName();
    int kept = 0;
    switch (metric.getDataCase()) {
      case GAUGE:
        out.getGaugeBuilder().clearDataPoints();
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          if (point(filter, resource, name, p.getTimeUnixNano(), p.getAttributesList())) {
            out.getGaugeBuilder().addDataPoints(p);
            kept++;
          }
        }
        break;
      case SUM:
        out.getSumBuilder().clearDataPoints();
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          if (point(filter, resource, name, p.getTimeUnixNano(), p.getAttributesList())) {
            out.getSumBuilder().addDataPoints(p);
            kept++;
          }
        }
        break;
      case HISTOGRAM:
        out.getHistogramBuilder().clearDataPoints();
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          if (point(filter, resource, name, p.getTimeUnixNano(), p.getAttributesList())) {
            out.getHistogramBuilder().addDataPoints(p);
            kept++;
          }
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        out.getExponentialHistogramBuilder().clearDataPoints();
        for (ExponentialHistogramDataPoint p :
            metric.getExponentialHistogram().getDataPointsList()) {
          if (point(filter, resource, name, p.getTimeUnixNano(), p.getAttributesList())) {
            out.getExponentialHistogramBuilder().addDataPoints(p);
            kept++;
          }
        }
        break;
      case SUMMARY:
        out.getSummaryBuilder().clearDataPoints();
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          if (point(filter, resource, name, p.getTimeUnixNano(), p.getAttributesList())) {
            out.getSummaryBuilder().addDataPoints(p);
            kept++;
          }
        }
        break;
      default:
        break;
    }
    return kept > 0 ? out.build() : null;
  }

  private static boolean point(
      RecordFilter filter, Resource resource, String name, long time, List<KeyValue> attributes) {
    return filter.acceptsPoint(resource, name, time, attributes);
  }
}
