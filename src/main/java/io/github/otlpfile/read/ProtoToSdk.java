package io.github.otlpfile.read;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>An instance holds the caches of one conversion (the last trace id and trace state, span
 * contexts by span id, attribute keys by position) and is confined to its thread; the static
 * methods are thread-safe.
 */
final class ProtoToSdk {
  // trace.proto SpanFlags: the low 8 bits are the W3C trace flags, then whether the parent (or
  // linked) context's remoteness is known, and whether it is remote.
  private static final int TRACE_FLAGS_MASK = 0xFF;
  private static final int CONTEXT_HAS_IS_REMOTE = 0x100;
  private static final int CONTEXT_IS_REMOTE = 0x200;
  private static final int REMOTE_BITS = CONTEXT_HAS_IS_REMOTE | CONTEXT_IS_REMOTE;

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;
  private static final int MAX_TRACE_STATE_MEMBERS = 32;
  private static final int MAX_RESOURCE_KEY_LENGTH = 255;
  private static final int KEY_POSITIONS = 32;
  private static final int KEY_SLOTS = 2 * KEY_POSITIONS;

  // Two lowercase hex digits per byte value, so that an id is encoded one lookup per byte.
  private static final byte[] HEX_PAIRS = new byte[512];

  static {
    byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      HEX_PAIRS[2 * b] = digits[b >>> 4];
      HEX_PAIRS[2 * b + 1] = digits[b & 0xF];
    }
  }

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

  // Per conversion: spans of one trace come together, and most share one trace state.
  private ByteString lastTraceId = ByteString.EMPTY;
  private String lastTraceIdHex = "";
  private String lastTraceStateHeader = "";
  private TraceState lastTraceState = TraceState.getDefault();
  // By span id: a span's parent is mostly another span of the same request, the log records of
  // one span share its context, so most contexts are made once (encoding and validating ids is a
  // good part of the cost of a span).
  private final Map<ByteString, SpanContext> contexts;
  private final byte[] idBytes = new byte[TRACE_ID_BYTES];
  private final byte[] idChars = new byte[2 * TRACE_ID_BYTES];
  // Attribute keys by position, one array per kind of attribute list (see attributes()).
  private final AttributeKey<?>[] itemKeys = new AttributeKey<?>[KEY_SLOTS];
  private final AttributeKey<?>[] eventKeys = new AttributeKey<?>[KEY_SLOTS];
  private final AttributeKey<?>[] linkKeys = new AttributeKey<?>[KEY_SLOTS];
  private final AttributeKey<?>[] exemplarKeys = new AttributeKey<?>[KEY_SLOTS];

  private ProtoToSdk(int expectedContexts) {
    contexts = new HashMap<>(Math.max(16, expectedContexts * 4 / 3 + 1));
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
    ProtoToSdk mapper = new ProtoToSdk(0);
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
    List<KeyValue> list = resource.getAttributesList();
    Object[] pairs = new Object[2 * list.size()];
    int n = 0;
    for (KeyValue kv : list) {
      // Resource.create throws for these keys; skipping them keeps the rest of the resource.
      if (isValidResourceKey(kv.getKey())) {
        setPair(pairs, 2 * n++, kv.getKey(), kv.getValue(), null, 0);
      }
    }
    return Resource.create(toAttributes(pairs, n), emptyToNull(schemaUrl));
  }

  private static boolean isValidResourceKey(String key) {
    if (key.length() > MAX_RESOURCE_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < ' ' || c > '~') {
        return false;
      }
    }
    return true;
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
      builder.setAttributes(attributes(scope.getAttributesList(), null));
    }
    return builder.build();
  }

  // ---- spans

  private SpanData span(Resource resource, InstrumentationScopeInfo scope, Span span) {
    int flags = span.getFlags();
    String traceState = span.getTraceState();
    SpanContext spanContext =
        spanContext(span.getTraceId(), span.getSpanId(), flags, traceState, false);
    SpanContext parent =
        span.getParentSpanId().isEmpty()
            ? SpanContext.getInvalid()
            : spanContext(
                span.getTraceId(), span.getParentSpanId(), flags, traceState, isRemote(flags));
    Attributes attributes = attributes(span.getAttributesList(), itemKeys);
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
      Attributes attributes = attributes(event.getAttributesList(), eventKeys);
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
          spanContext(
              link.getTraceId(), link.getSpanId(), flags, link.getTraceState(), isRemote(flags));
      Attributes attributes = attributes(link.getAttributesList(), linkKeys);
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

  // ---- span contexts

  private SpanContext spanContext(
      ByteString traceId, ByteString spanId, int flags, String traceState, boolean remote) {
    if (traceId.size() != TRACE_ID_BYTES || spanId.size() != SPAN_ID_BYTES) {
      return SpanContext.getInvalid();
    }
    String traceIdHex = traceIdHex(traceId);
    TraceFlags traceFlags = TraceFlags.fromByte((byte) (flags & TRACE_FLAGS_MASK));
    TraceState state = traceState(traceState);
    SpanContext cached = contexts.get(spanId);
    if (cached != null
        && cached.isRemote() == remote
        && cached.getTraceFlags().asByte() == traceFlags.asByte()
        && cached.getTraceId().equals(traceIdHex)
        && cached.getTraceState().equals(state)) {
      return cached;
    }
    String spanIdHex = hex(spanId);
    SpanContext context =
        remote
            ? SpanContext.createFromRemoteParent(traceIdHex, spanIdHex, traceFlags, state)
            : SpanContext.create(traceIdHex, spanIdHex, traceFlags, state);
    if (!context.isValid()) {
      // All-zero ids: SpanContext.create keeps the flags with invalid ids; the SDK itself only
      // ever has the one invalid context.
      return SpanContext.getInvalid();
    }
    contexts.put(spanId, context);
    return context;
  }

  /** Exemplars: the file has ids only (see the class comment). */
  private SpanContext exemplarSpanContext(Exemplar exemplar) {
    return spanContext(
        exemplar.getTraceId(), exemplar.getSpanId(), TraceFlags.getSampled().asByte(), "", false);
  }

  private String traceIdHex(ByteString traceId) {
    if (!traceId.equals(lastTraceId)) {
      lastTraceIdHex = hex(traceId);
      lastTraceId = traceId;
    }
    return lastTraceIdHex;
  }

  private String hex(ByteString bytes) {
    // Ids are copied out in one go and encoded into a reused buffer: ByteString.byteAt per byte
    // and a fresh array per id cost more than the encoding.
    int n = bytes.size();
    byte[] in = idBytes;
    byte[] out = idChars;
    bytes.copyTo(in, 0);
    for (int i = 0; i < n; i++) {
      int pair = (in[i] & 0xFF) << 1;
      out[2 * i] = HEX_PAIRS[pair];
      out[2 * i + 1] = HEX_PAIRS[pair + 1];
    }
    return new String(out, 0, 2 * n, StandardCharsets.ISO_8859_1);
  }

  private TraceState traceState(String header) {
    if (header.isEmpty()) {
      return TraceState.getDefault();
    }
    if (!header.equals(lastTraceStateHeader)) {
      lastTraceState = parseTraceState(header);
      lastTraceStateHeader = header;
    }
    return lastTraceState;
  }

  /**
   * Parses a W3C {@code tracestate} ({@code key=value,key2=value2}, optional spaces and tabs around
   * members, empty members allowed); anything invalid gives the default, as {@code
   * W3CTraceContextPropagator} does.
   */
  static TraceState parseTraceState(String header) {
    // The builder puts each entry in front, so members are added from the last one.
    TraceStateBuilder builder = TraceState.builder();
    int members = 0;
    int end = header.length();
    while (end >= 0) {
      int comma = end == 0 ? -1 : header.lastIndexOf(',', end - 1);
      int start = comma + 1;
      while (start < end && isOws(header.charAt(start))) {
        start++;
      }
      int stop = end;
      while (stop > start && isOws(header.charAt(stop - 1))) {
        stop--;
      }
      if (start < stop) {
        int equals = header.indexOf('=', start);
        if (equals < 0 || equals >= stop || ++members > MAX_TRACE_STATE_MEMBERS) {
          return TraceState.getDefault();
        }
        builder.put(header.substring(start, equals), header.substring(equals + 1, stop));
      }
      end = comma;
    }
    TraceState state = builder.build();
    // The builder skips invalid keys and values and merges duplicate keys; W3C then says to
    // discard the whole header.
    return state.size() == members ? state : TraceState.getDefault();
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  // ---- attributes and values

  /**
   * The attributes of {@code list}. {@code keys} remembers the keys last made at each position for
   * one kind of list (span, event, point ...), or is {@code null}: items of one kind mostly have
   * the same keys in the same order (the SDK writes them sorted), and reusing a key spares making
   * it and hashing its name, which for a freshly parsed message is a good part of the mapping.
   */
  private static Attributes attributes(List<KeyValue> list, AttributeKey<?>[] keys) {
    int n = list.size();
    if (n == 0) {
      return Attributes.empty();
    }
    Object[] pairs = new Object[2 * n];
    for (int i = 0; i < n; i++) {
      KeyValue kv = list.get(i);
      setPair(pairs, 2 * i, kv.getKey(), kv.getValue(), keys, i);
    }
    return toAttributes(pairs, n);
  }

  /**
   * The key {@code name} of a primitive {@code type}, reused from {@code keys} when it matches.
   * Each position remembers its last two keys, for lists that take turns (two kinds of events).
   */
  private static AttributeKey<?> key(
      AttributeKey<?>[] keys, int position, String name, AttributeType type) {
    int slot = 2 * position;
    boolean cached = keys != null && slot < keys.length;
    if (cached) {
      AttributeKey<?> first = keys[slot];
      if (first != null && first.getType() == type && first.getKey().equals(name)) {
        return first;
      }
      AttributeKey<?> second = keys[slot + 1];
      if (second != null && second.getType() == type && second.getKey().equals(name)) {
        keys[slot + 1] = first;
        keys[slot] = second;
        return second;
      }
    }
    AttributeKey<?> key;
    switch (type) {
      case STRING:
        key = AttributeKey.stringKey(name);
        break;
      case BOOLEAN:
        key = AttributeKey.booleanKey(name);
        break;
      case LONG:
        key = AttributeKey.longKey(name);
        break;
      default:
        key = AttributeKey.doubleKey(name);
        break;
    }
    if (cached) {
      keys[slot + 1] = keys[slot];
      keys[slot] = key;
    }
    return key;
  }

  /**
   * The attributes of the first {@code n} key-value pairs of {@code pairs}. Building attributes is
   * most of the cost of a mapping, so up to six pairs go through {@code Attributes.of}, which
   * spares the builder's growing list and its copy; both sort and drop duplicates (the last wins)
   * and empty keys the same way. The builder's one extra step, turning a {@code valueKey} with a
   * primitive or homogeneous array {@link Value} into the typed key, does not apply: such values
   * get typed keys here already.
   */
  @SuppressWarnings("unchecked")
  private static Attributes toAttributes(Object[] pairs, int n) {
    switch (n) {
      case 0:
        return Attributes.empty();
      case 1:
        return Attributes.of(key(pairs, 0), pairs[1]);
      case 2:
        return Attributes.of(key(pairs, 0), pairs[1], key(pairs, 2), pairs[3]);
      case 3:
        return Attributes.of(
            key(pairs, 0), pairs[1], key(pairs, 2), pairs[3], key(pairs, 4), pairs[5]);
      case 4:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7]);
      case 5:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7],
            key(pairs, 8),
            pairs[9]);
      case 6:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7],
            key(pairs, 8),
            pairs[9],
            key(pairs, 10),
            pairs[11]);
      default:
        AttributesBuilder builder = Attributes.builder();
        for (int i = 0; i < 2 * n; i += 2) {
          builder.put(key(pairs, i), pairs[i + 1]);
        }
        return builder.build();
    }
  }

  @SuppressWarnings("unchecked")
  private static AttributeKey<Object> key(Object[] pairs, int index) {
    return (AttributeKey<Object>) pairs[index];
  }

  /**
   * Puts the attribute key and value for a proto key-value at {@code pairs[index]}; {@code keys}
   * and {@code position} as for {@link #key}.
   */
  private static void setPair(
      Object[] pairs, int index, String key, AnyValue value, AttributeKey<?>[] keys, int position) {
    AttributeKey<?> attributeKey;
    Object attributeValue;
    switch (value.getValueCase()) {
      case STRING_VALUE:
        attributeKey = key(keys, position, key, AttributeType.STRING);
        attributeValue = value.getStringValue();
        break;
      case BOOL_VALUE:
        attributeKey = key(keys, position, key, AttributeType.BOOLEAN);
        attributeValue = value.getBoolValue();
        break;
      case INT_VALUE:
        attributeKey = key(keys, position, key, AttributeType.LONG);
        attributeValue = value.getIntValue();
        break;
      case DOUBLE_VALUE:
        attributeKey = key(keys, position, key, AttributeType.DOUBLE);
        attributeValue = value.getDoubleValue();
        break;
      case ARRAY_VALUE:
        setArrayPair(pairs, index, key, value);
        return;
      default:
        attributeKey = AttributeKey.valueKey(key);
        attributeValue = value(value);
        break;
    }
    pairs[index] = attributeKey;
    pairs[index + 1] = attributeValue;
  }

  private static void setArrayPair(Object[] pairs, int index, String key, AnyValue value) {
    List<AnyValue> values = value.getArrayValue().getValuesList();
    int n = values.size();
    if (n == 0) {
      pairs[index] = AttributeKey.stringArrayKey(key);
      pairs[index + 1] = Collections.<String>emptyList();
      return;
    }
    AnyValue.ValueCase type = values.get(0).getValueCase();
    for (int i = 1; i < n; i++) {
      if (values.get(i).getValueCase() != type) {
        type = AnyValue.ValueCase.VALUE_NOT_SET; // mixed
        break;
      }
    }
    switch (type) {
      case STRING_VALUE:
        {
          List<String> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getStringValue());
          }
          pairs[index] = AttributeKey.stringArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case BOOL_VALUE:
        {
          List<Boolean> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getBoolValue());
          }
          pairs[index] = AttributeKey.booleanArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case INT_VALUE:
        {
          List<Long> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getIntValue());
          }
          pairs[index] = AttributeKey.longArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case DOUBLE_VALUE:
        {
          List<Double> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getDoubleValue());
          }
          pairs[index] = AttributeKey.doubleArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      default:
        // Mixed, nested, or arrays of maps, bytes or empty values.
        pairs[index] = AttributeKey.valueKey(key);
        pairs[index + 1] = value(value);
        return;
    }
  }

  /** Any proto value as an API {@link Value}; protobuf's nesting limit bounds the recursion. */
  private static Value<?> value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return Value.of(value.getStringValue());
      case BOOL_VALUE:
        return Value.of(value.getBoolValue());
      case INT_VALUE:
        return Value.of(value.getIntValue());
      case DOUBLE_VALUE:
        return Value.of(value.getDoubleValue());
      case ARRAY_VALUE:
        {
          ArrayValue array = value.getArrayValue();
          List<Value<?>> values = new ArrayList<>(array.getValuesCount());
          for (AnyValue v : array.getValuesList()) {
            values.add(value(v));
          }
          return Value.of(values);
        }
      case KVLIST_VALUE:
        {
          List<KeyValue> list = value.getKvlistValue().getValuesList();
          io.opentelemetry.api.common.KeyValue[] kvs =
              new io.opentelemetry.api.common.KeyValue[list.size()];
          for (int i = 0; i < kvs.length; i++) {
            KeyValue kv = list.get(i);
            kvs[i] = io.opentelemetry.api.common.KeyValue.of(kv.getKey(), value(kv.getValue()));
          }
          return Value.of(kvs);
        }
      case BYTES_VALUE:
        return Value.of(value.getBytesValue().toByteArray());
      default:
        // VALUE_NOT_SET, and STRING_VALUE_STRINDEX, an index into a profiles string table that
        // other signals do not have.
        return Value.empty();
    }
  }

  // ---- metrics

  private MetricData metric(Resource resource, InstrumentationScopeInfo scope, Metric metric) {
    MetricDataType type;
    Data<?> data;
    switch (metric.getDataCase()) {
      case GAUGE:
        {
          List<NumberDataPoint> points = metric.getGauge().getDataPointsList();
          if (isLong(points)) {
            type = MetricDataType.LONG_GAUGE;
            data = GaugeData.createLongGaugeData(longPoints(points));
          } else {
            type = MetricDataType.DOUBLE_GAUGE;
            data = GaugeData.createDoubleGaugeData(doublePoints(points));
          }
          break;
        }
      case SUM:
        {
          Sum sum = metric.getSum();
          List<NumberDataPoint> points = sum.getDataPointsList();
          AggregationTemporality temporality = temporality(sum.getAggregationTemporalityValue());
          if (isLong(points)) {
            type = MetricDataType.LONG_SUM;
            data = SumData.createLongSumData(sum.getIsMonotonic(), temporality, longPoints(points));
          } else {
            type = MetricDataType.DOUBLE_SUM;
            data =
                SumData.createDoubleSumData(
                    sum.getIsMonotonic(), temporality, doublePoints(points));
          }
          break;
        }
      case HISTOGRAM:
        {
          Histogram histogram = metric.getHistogram();
          type = MetricDataType.HISTOGRAM;
          data =
              HistogramData.create(
                  temporality(histogram.getAggregationTemporalityValue()),
                  histogramPoints(histogram.getDataPointsList()));
          break;
        }
      case EXPONENTIAL_HISTOGRAM:
        {
          ExponentialHistogram histogram = metric.getExponentialHistogram();
          type = MetricDataType.EXPONENTIAL_HISTOGRAM;
          data =
              ExponentialHistogramData.create(
                  temporality(histogram.getAggregationTemporalityValue()),
                  exponentialPoints(histogram.getDataPointsList()));
          break;
        }
      case SUMMARY:
        type = MetricDataType.SUMMARY;
        data = SummaryData.create(summaryPoints(metric.getSummary().getDataPointsList()));
        break;
      default:
        // DATA_NOT_SET: MetricData has no type for "nothing".
        return null;
    }
    return new ReadMetricData(
        resource, scope, metric.getName(), metric.getDescription(), metric.getUnit(), type, data);
  }

  private static boolean isLong(List<NumberDataPoint> points) {
    boolean anyInt = false;
    for (int i = 0, n = points.size(); i < n; i++) {
      switch (points.get(i).getValueCase()) {
        case AS_DOUBLE:
          return false;
        case AS_INT:
          anyInt = true;
          break;
        default:
          break;
      }
    }
    return anyInt;
  }

  private static AggregationTemporality temporality(int number) {
    return number
            == io.opentelemetry.proto.metrics.v1.AggregationTemporality
                .AGGREGATION_TEMPORALITY_DELTA_VALUE
        ? AggregationTemporality.DELTA
        : AggregationTemporality.CUMULATIVE;
  }

  private List<LongPointData> longPoints(List<NumberDataPoint> list) {
    int n = list.size();
    List<LongPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NumberDataPoint p = list.get(i);
      points.add(
          new ReadLongPointData(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              attributes(p.getAttributesList(), itemKeys),
              p.getAsInt(),
              longExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<DoublePointData> doublePoints(List<NumberDataPoint> list) {
    int n = list.size();
    List<DoublePointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NumberDataPoint p = list.get(i);
      double value =
          p.getValueCase() == NumberDataPoint.ValueCase.AS_INT
              ? (double) p.getAsInt()
              : p.getAsDouble();
      points.add(
          DoublePointData.create(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              attributes(p.getAttributesList(), itemKeys),
              value,
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<HistogramPointData> histogramPoints(List<HistogramDataPoint> list) {
    int n = list.size();
    List<HistogramPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      HistogramDataPoint p = list.get(i);
      // Repeated fields of a built or parsed message are immutable, so the lists are shared.
      points.add(
          new ReadHistogramPointData(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              attributes(p.getAttributesList(), itemKeys),
              p.getSum(),
              p.getCount(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              p.getExplicitBoundsList(),
              p.getBucketCountsList(),
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<ExponentialHistogramPointData> exponentialPoints(
      List<ExponentialHistogramDataPoint> list) {
    int n = list.size();
    List<ExponentialHistogramPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ExponentialHistogramDataPoint p = list.get(i);
      int scale = p.getScale();
      points.add(
          ExponentialHistogramPointData.create(
              scale,
              p.getSum(),
              p.getZeroCount(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              buckets(scale, p.getPositive()),
              buckets(scale, p.getNegative()),
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              attributes(p.getAttributesList(), itemKeys),
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private static ExponentialHistogramBuckets buckets(
      int scale, ExponentialHistogramDataPoint.Buckets buckets) {
    return ExponentialHistogramBuckets.create(
        scale, buckets.getOffset(), buckets.getBucketCountsList());
  }

  private List<SummaryPointData> summaryPoints(List<SummaryDataPoint> list) {
    int n = list.size();
    List<SummaryPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SummaryDataPoint p = list.get(i);
      List<SummaryDataPoint.ValueAtQuantile> quantiles = p.getQuantileValuesList();
      List<ValueAtQuantile> values = new ArrayList<>(quantiles.size());
      for (SummaryDataPoint.ValueAtQuantile q : quantiles) {
        values.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
      }
      points.add(
          SummaryPointData.create(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              attributes(p.getAttributesList(), itemKeys),
              p.getCount(),
              p.getSum(),
              Collections.unmodifiableList(values)));
    }
    return Collections.unmodifiableList(points);
  }

  private List<DoubleExemplarData> doubleExemplars(List<Exemplar> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<DoubleExemplarData> exemplars = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Exemplar e = list.get(i);
      double value =
          e.getValueCase() == Exemplar.ValueCase.AS_INT ? (double) e.getAsInt() : e.getAsDouble();
      exemplars.add(
          DoubleExemplarData.create(
              attributes(e.getFilteredAttributesList(), exemplarKeys),
              e.getTimeUnixNano(),
              exemplarSpanContext(e),
              value));
    }
    return Collections.unmodifiableList(exemplars);
  }

  private List<LongExemplarData> longExemplars(List<Exemplar> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<LongExemplarData> exemplars = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Exemplar e = list.get(i);
      long value =
          e.getValueCase() == Exemplar.ValueCase.AS_DOUBLE ? (long) e.getAsDouble() : e.getAsInt();
      exemplars.add(
          LongExemplarData.create(
              attributes(e.getFilteredAttributesList(), exemplarKeys),
              e.getTimeUnixNano(),
              exemplarSpanContext(e),
              value));
    }
    return Collections.unmodifiableList(exemplars);
  }

  // ---- logs

  private LogRecordData logRecord(
      Resource resource, InstrumentationScopeInfo scope, LogRecord log) {
    Attributes attributes = attributes(log.getAttributesList(), itemKeys);
    return new ReadLogRecordData(
        resource,
        scope,
        log.getTimeUnixNano(),
        log.getObservedTimeUnixNano(),
        spanContext(log.getTraceId(), log.getSpanId(), log.getFlags(), "", false),
        severity(log.getSeverityNumberValue()),
        emptyToNull(log.getSeverityText()),
        log.hasBody() ? value(log.getBody()) : null,
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
