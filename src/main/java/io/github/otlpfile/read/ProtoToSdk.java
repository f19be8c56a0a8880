package io.github.otlpfile.read;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;
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
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Converts {@code opentelemetry-proto} export requests into OpenTelemetry SDK data: {@link
 * SpanData}, {@link MetricData} and {@link LogRecordData}, equal (by their interface getters) to
 * the SDK data that was exported. Items come in file order: resource by resource, scope by scope,
 * item by item. All items of one {@code ResourceX} share one {@link Resource}, all of one {@code
 * ScopeX} one {@link InstrumentationScopeInfo}.
 *
 * <p>Never throws for a well-formed message; content the SDK cannot hold as it is becomes the
 * closest value it can:
 *
 * <ul>
 *   <li>Strings the SDK leaves {@code null} when unset (scope version and schema URL, resource
 *       schema URL, log severity text and event name) are {@code null} when empty in the file.
 *   <li>Trace or span ids of the wrong length, or all zero, give {@link SpanContext#getInvalid()};
 *       so does a span with no parent span id (a root span). A {@code trace_state} that is not a
 *       valid W3C {@code tracestate} gives {@link TraceState#getDefault()}, as the W3C propagator
 *       does.
 *   <li>Unknown and unspecified span kinds give {@link SpanKind#INTERNAL}; unknown status codes
 *       {@link StatusCode#UNSET}; severity numbers outside 1..24 {@link
 *       Severity#UNDEFINED_SEVERITY_NUMBER}; unknown and unspecified aggregation temporalities
 *       {@link AggregationTemporality#CUMULATIVE}, the SDK's default.
 *   <li>A span's own context is not remote. Its parent context is the parent span id with the
 *       span's trace id, remote when {@code flags} says so ({@code CONTEXT_HAS_IS_REMOTE} and
 *       {@code CONTEXT_IS_REMOTE}); the file carries no flags or trace state of the parent, so it
 *       takes the span's own, which the SDK propagates from the parent in the common case. A link's
 *       context is remote the same way, from the link's flags.
 *   <li>Counts: each total (attributes, events, links) is the number read plus the dropped count,
 *       capped at {@link Integer#MAX_VALUE}.
 *   <li>Attributes: string, bool, int and double values become the typed keys; an array whose
 *       values all have one of those types becomes the typed array key; anything else (key-value
 *       list, bytes, nested or mixed arrays, an empty value, a profiles string-table index) becomes
 *       {@link AttributeKey#valueKey} with the matching {@link Value} ({@link Value#empty()} for
 *       the last two). An empty array becomes an empty {@link AttributeKey#stringArrayKey}, since
 *       that is how the SDK writes an empty string array (it writes an empty {@code Value} array
 *       the same way, which hence reads back as a string array). For a key given twice the last
 *       value wins; empty keys are dropped, as the SDK's attribute builder does. Resource attribute
 *       keys that {@link Resource#create} rejects (longer than 255 characters or not printable
 *       ASCII) are dropped too.
 *   <li>Log bodies of any type become {@link LogRecordData#getBodyValue()}; a record without a body
 *       has {@code null} there. The span context of a log record has the file's trace flags, the
 *       default trace state and is not remote: the file carries no more.
 *   <li>Metrics: a metric without data is skipped. A gauge or sum is a long metric only when its
 *       points are all integers; one with any double point (or with no points) is a double metric,
 *       its integer values converted. Exemplars take the type of their point, values converted
 *       (double to long by a cast). An exemplar's span context has the file's ids, flags sampled
 *       (the file carries none and the SDK samples exemplars from sampled spans), the default trace
 *       state; invalid ids give {@link SpanContext#getInvalid()}. Histogram points keep the file's
 *       count, bounds and bucket counts even when they do not match each other; a missing sum is 0.
 *       An exponential histogram's count is the SDK's, the sum of its buckets and zero count.
 *   <li>Fields the SDK data has no place for are not kept: metric {@code metadata}, data point
 *       {@code flags}, the exponential histogram's {@code zero_threshold}, dropped attribute counts
 *       of resources and scopes, resource entity references.
 * </ul>
 *
 * <p>An instance holds the caches of one conversion ({@link SpanContexts}, {@link ProtoAttributes})
 * and is confined to its thread; the static methods are thread-safe.
 */
final class ProtoToSdk {
  // trace.proto SpanFlags, above the 8 bits of W3C trace flags: whether the parent (or linked)
  // context's remoteness is known, and whether it is remote.
  private static final int CONTEXT_HAS_IS_REMOTE = 0x100;
  private static final int CONTEXT_IS_REMOTE = 0x200;
  private static final int REMOTE_BITS = CONTEXT_HAS_IS_REMOTE | CONTEXT_IS_REMOTE;

  // Indexed by the proto enum numbers; anything outside falls back (see the class comment).
  private static final SpanKind[] SPAN_KINDS = {
    SpanKind.INTERNAL, // SPAN_KIND_UNSPECIFIED
    SpanKind.INTERNAL,
    SpanKind.SERVER,
    SpanKind.CLIENT,
    SpanKind.PRODUCER,
    SpanKind.CONSUMER
  };
  private static final Severity[] SEVERITIES = severitiesByNumber();

  // One conversion's caches: span contexts, and attribute keys per kind of attribute list.
  private final SpanContexts contexts;
  private final ProtoAttributes itemAttributes = new ProtoAttributes();
  private final ProtoAttributes eventAttributes = new ProtoAttributes();
  private final ProtoAttributes linkAttributes = new ProtoAttributes();

  private ProtoToSdk(int expectedSpanIds) {
    contexts = new SpanContexts(expectedSpanIds);
  }

  /** The spans of {@code request}, unmodifiable, in file order. */
  static List<SpanData> spans(ExportTraceServiceRequest request) {
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    List<SpanData> spans = new ArrayList<>(count);
    ProtoToSdk mapper = new ProtoToSdk(count);
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource resource = resource(rs.getResource(), rs.getSchemaUrl());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScopeInfo scope = scope(ss.getScope(), ss.getSchemaUrl());
        for (Span span : ss.getSpansList()) {
          spans.add(mapper.span(resource, scope, span));
        }
      }
    }
    return Collections.unmodifiableList(spans);
  }

  /** The metrics of {@code request}, unmodifiable, in file order; metrics without data skipped. */
  static List<MetricData> metrics(ExportMetricsServiceRequest request) {
    int count = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        count += sm.getMetricsCount();
      }
    }
    List<MetricData> metrics = new ArrayList<>(count);
    ProtoMetrics mapper = new ProtoMetrics();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Resource resource = resource(rm.getResource(), rm.getSchemaUrl());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        InstrumentationScopeInfo scope = scope(sm.getScope(), sm.getSchemaUrl());
        for (Metric metric : sm.getMetricsList()) {
          MetricData data = mapper.metric(resource, scope, metric);
          if (data != null) {
            metrics.add(data);
          }
        }
      }
    }
    return Collections.unmodifiableList(metrics);
  }

  /** The log records of {@code request}, unmodifiable, in file order. */
  static List<LogRecordData> logRecords(ExportLogsServiceRequest request) {
    int count = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        count += sl.getLogRecordsCount();
      }
    }
    List<LogRecordData> logs = new ArrayList<>(count);
    ProtoToSdk mapper = new ProtoToSdk(0);
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Resource resource = resource(rl.getResource(), rl.getSchemaUrl());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScopeInfo scope = scope(sl.getScope(), sl.getSchemaUrl());
        for (LogRecord log : sl.getLogRecordsList()) {
          logs.add(mapper.logRecord(resource, scope, log));
        }
      }
    }
    return Collections.unmodifiableList(logs);
  }

  // ---- resource and scope

  private static Resource resource(
      io.opentelemetry.proto.resource.v1.Resource resource, String schemaUrl) {
    return Resource.create(
        ProtoAttributes.readResource(resource.getAttributesList()), emptyToNull(schemaUrl));
  }

  private static InstrumentationScopeInfo scope(InstrumentationScope scope, String schemaUrl) {
    InstrumentationScopeInfoBuilder builder = InstrumentationScopeInfo.builder(scope.getName());
    if (!scope.getVersion().isEmpty()) {
      builder.setVersion(scope.getVersion());
    }
    if (!schemaUrl.isEmpty()) {
      builder.setSchemaUrl(schemaUrl);
    }
    if (scope.getAttributesCount() > 0) {
      builder.setAttributes(ProtoAttributes.readOnce(scope.getAttributesList()));
    }
    return builder.build();
  }

  // ---- spans

  private SpanData span(Resource resource, InstrumentationScopeInfo scope, Span span) {
    int flags = span.getFlags();
    String traceState = span.getTraceState();
    SpanContext spanContext =
        contexts.get(span.getTraceId(), span.getSpanId(), flags, traceState, false);
    SpanContext parent =
        span.getParentSpanId().isEmpty()
            ? SpanContext.getInvalid()
            : contexts.get(
                span.getTraceId(), span.getParentSpanId(), flags, traceState, isRemote(flags));
    Attributes attributes = itemAttributes.read(span.getAttributesList());
    return new ReadSpanData(
        resource,
        scope,
        span.getName(),
        spanKind(span.getKindValue()),
        spanContext,
        parent,
        status(span.getStatus()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        attributes,
        total(attributes.size(), span.getDroppedAttributesCount()),
        events(span.getEventsList()),
        total(span.getEventsCount(), span.getDroppedEventsCount()),
        links(span.getLinksList()),
        total(span.getLinksCount(), span.getDroppedLinksCount()));
  }

  private List<EventData> events(List<Span.Event> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<EventData> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Span.Event event = list.get(i);
      Attributes attributes = eventAttributes.read(event.getAttributesList());
      events.add(
          EventData.create(
              event.getTimeUnixNano(),
              event.getName(),
              attributes,
              total(attributes.size(), event.getDroppedAttributesCount())));
    }
    return Collections.unmodifiableList(events);
  }

  private List<LinkData> links(List<Span.Link> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<LinkData> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Span.Link link = list.get(i);
      int flags = link.getFlags();
      SpanContext context =
          contexts.get(
              link.getTraceId(), link.getSpanId(), flags, link.getTraceState(), isRemote(flags));
      Attributes attributes = linkAttributes.read(link.getAttributesList());
      links.add(
          LinkData.create(
              context, attributes, total(attributes.size(), link.getDroppedAttributesCount())));
    }
    return Collections.unmodifiableList(links);
  }

  private static SpanKind spanKind(int number) {
    return number >= 0 && number < SPAN_KINDS.length ? SPAN_KINDS[number] : SpanKind.INTERNAL;
  }

  private static StatusData status(Status status) {
    StatusCode code;
    switch (status.getCodeValue()) {
      case Status.StatusCode.STATUS_CODE_OK_VALUE:
        code = StatusCode.OK;
        break;
      case Status.StatusCode.STATUS_CODE_ERROR_VALUE:
        code = StatusCode.ERROR;
        break;
      default:
        code = StatusCode.UNSET;
        break;
    }
    return StatusData.create(code, status.getMessage());
  }

  private static boolean isRemote(int flags) {
    return (flags & REMOTE_BITS) == REMOTE_BITS;
  }

  // ---- logs

  private LogRecordData logRecord(
      Resource resource, InstrumentationScopeInfo scope, LogRecord log) {
    Attributes attributes = itemAttributes.read(log.getAttributesList());
    return new ReadLogRecordData(
        resource,
        scope,
        log.getTimeUnixNano(),
        log.getObservedTimeUnixNano(),
        contexts.get(log.getTraceId(), log.getSpanId(), log.getFlags(), "", false),
        severity(log.getSeverityNumberValue()),
        emptyToNull(log.getSeverityText()),
        log.hasBody() ? ProtoAttributes.value(log.getBody()) : null,
        attributes,
        total(attributes.size(), log.getDroppedAttributesCount()),
        emptyToNull(log.getEventName()));
  }

  private static Severity severity(int number) {
    return number >= 0 && number < SEVERITIES.length
        ? SEVERITIES[number]
        : Severity.UNDEFINED_SEVERITY_NUMBER;
  }

  private static Severity[] severitiesByNumber() {
    int max = 0;
    for (Severity s : Severity.values()) {
      max = Math.max(max, s.getSeverityNumber());
    }
    Severity[] byNumber = new Severity[max + 1];
    for (int i = 0; i < byNumber.length; i++) {
      byNumber[i] = Severity.UNDEFINED_SEVERITY_NUMBER;
    }
    for (Severity s : Severity.values()) {
      byNumber[s.getSeverityNumber()] = s;
    }
    return byNumber;
  }

  // ---- helpers

  /** {@code read + dropped}, the dropped count being a proto uint32, capped at int range. */
  private static int total(int read, int dropped) {
    long total = read + (dropped & 0xFFFFFFFFL);
    return total > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) total;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
