package io.github.otlpfile.support;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * One span, metric or log record read from a file, with the resource and scope it was written
 * under: the flat view of the nested {@code resource -> scope -> items} requests.
 */
public record Located<T>(
    Resource resource,
    String resourceSchemaUrl,
    InstrumentationScope scope,
    String scopeSchemaUrl,
    T item) {

  public static List<Located<Span>> spans(List<ExportTraceServiceRequest> requests) {
    List<Located<Span>> result = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            result.add(
                new Located<>(
                    rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl(), span));
          }
        }
      }
    }
    return result;
  }

  public static List<Located<Metric>> metrics(ExportMetricsServiceRequest request) {
    List<Located<Metric>> result = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          result.add(
              new Located<>(
                  rm.getResource(), rm.getSchemaUrl(), sm.getScope(), sm.getSchemaUrl(), metric));
        }
      }
    }
    return result;
  }

  public static List<Located<LogRecord>> logRecords(List<ExportLogsServiceRequest> requests) {
    List<Located<LogRecord>> result = new ArrayList<>();
    for (ExportLogsServiceRequest request : requests) {
      for (ResourceLogs rl : request.getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          for (LogRecord log : sl.getLogRecordsList()) {
            result.add(
                new Located<>(
                    rl.getResource(), rl.getSchemaUrl(), sl.getScope(), sl.getSchemaUrl(), log));
          }
        }
      }
    }
    return result;
  }
}
