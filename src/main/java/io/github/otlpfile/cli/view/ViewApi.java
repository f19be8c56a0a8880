package io.github.otlpfile.cli.view;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Message;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON API behind the page. Lists come from the {@link ViewIndex}; a trace, the logs and a
 * metric's points are read again from the files, and the last traces asked for are kept in a cache
 * bounded in bytes.
 *
 * <p>Thread-safe.
 */
final class ViewApi {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  static final int MAX_POINTS_PER_SERIES = 5000;
  static final int MAX_SERIES = 200;
  static final long CACHE_BYTES = 32L * 1024 * 1024;

  private final ViewIndex index;
  private final boolean live;
  private final Object cacheLock = new Object();
  // Guarded by cacheLock: the JSON of the traces asked for last, by id and content generation.
  private final LinkedHashMap<String, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes;

  ViewApi(ViewIndex index, boolean live) {
    this.index = index;
    this.live = live;
  }

  /** Thrown for a request the API cannot answer; the status says why. */
  static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  byte[] summary() {
    ViewIndex.Stats stats = index.stats();
    List<String> services = index.serviceNames();
    return ViewJson.write(
        json -> {
          json.writeStartObject();
          json.writeNumberField("files", stats.files);
          json.writeNumberField("records", stats.records);
          json.writeNumberField("spans", stats.spans);
          json.writeNumberField("traces", stats.traces);
          json.writeNumberField("logs", stats.logs);
          json.writeNumberField("metrics", stats.metrics);
          json.writeNumberField("points", stats.points);
          json.writeNumberField("generation", stats.generation);
          json.writeBooleanField("indexing", stats.indexing);
          json.writeBooleanField("live", live);
          json.writeNumberField("lastPassMs", stats.lastPassMillis);
          json.writeArrayFieldStart("services");
          for (String service : services) {
            json.writeString(service);
          }
          json.writeEndArray();
          json.writeNumberField("problemCount", stats.problems.size());
          json.writeArrayFieldStart("problems");
          for (String problem : stats.problems.subList(0, Math.min(100, stats.problems.size()))) {
            json.writeString(problem);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  byte[] traces(Map<String, String> query) {
    TraceFilter filter;
    int offset;
    int limit;
    try {
      filter = TraceFilter.parse(query);
      offset = intParameter(query, "offset", 0, Integer.MAX_VALUE);
      limit = intParameter(query, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    ViewIndex.TracePage found = index.traces(filter, offset, limit);
    List<ViewIndex.TraceRow> page;
    int total;
    if (filter.hasAttribute()) {
      List<ViewIndex.TraceRow> rows =
          withAttribute(found.rows, filter.attributeKey, filter.attributeValue);
      page = rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit));
      total = rows.size();
    } else {
      page = found.rows;
      total = found.total;
    }
    return ViewJson.write(
        json -> {
          json.writeStartObject();
          json.writeNumberField("total", total);
          json.writeNumberField("offset", offset);
          json.writeNumberField("limit", limit);
          json.writeArrayFieldStart("traces");
          for (ViewIndex.TraceRow row : page) {
            json.writeStartObject();
            json.writeStringField("traceId", row.traceId);
            json.writeStringField("service", row.service);
            json.writeStringField("name", row.name);
            json.writeBooleanField("rootMissing", row.rootMissing);
            ViewJson.time(json, "start", row.startNanos);
            json.writeNumberField("durationNs", row.durationNanos());
            json.writeNumberField("spanCount", row.spanCount);
            json.writeNumberField("errorCount", row.errorCount);
            json.writeNumberField("logCount", row.logCount);
            json.writeArrayFieldStart("services");
            for (String service : row.services) {
              json.writeString(service);
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** The rows with a span (or its resource) holding the attribute, read from their records. */
  private static List<ViewIndex.TraceRow> withAttribute(
      List<ViewIndex.TraceRow> rows, String key, String value) {
    Map<String, ViewIndex.TraceRow> byId = new HashMap<>();
    List<ViewIndex.RecordRef> refs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ViewIndex.TraceRow row : rows) {
      byId.put(row.traceId, row);
      for (ViewIndex.RecordRef ref : row.records) {
        if (seen.add(ref.file + "\u0000" + ref.position)) {
          refs.add(ref);
        }
      }
    }
    Set<String> matching = new HashSet<>();
    ViewIndex.read(
        refs,
        record -> {
          for (ResourceSpans resource : record.getTraceRequest().getResourceSpansList()) {
            boolean resourceMatches =
                ViewJson.matches(resource.getResource().getAttributesList(), key, value);
            for (ScopeSpans scope : resource.getScopeSpansList()) {
              for (Span span : scope.getSpansList()) {
                String traceId = ViewIndex.hex(span.getTraceId());
                if (byId.containsKey(traceId)
                    && (resourceMatches
                        || ViewJson.matches(span.getAttributesList(), key, value))) {
                  matching.add(traceId);
                }
              }
            }
          }
        });
    List<ViewIndex.TraceRow> result = new ArrayList<>();
    for (ViewIndex.TraceRow row : rows) {
      if (matching.contains(row.traceId)) {
        result.add(row);
      }
    }
    return result;
  }

  byte[] trace(String traceId) {
    if (!traceId.matches("[0-9a-f]{1,64}")) {
      throw new ApiException(400, "a trace id is lowercase hex: " + traceId);
    }
    ViewIndex.TraceRefs refs = index.traceRefs(traceId);
    if (refs == null || refs.spanCount == 0) {
      throw new ApiException(404, "no trace " + traceId + " in the files");
    }
    String cacheKey = traceId + "/" + refs.spanCount + "/" + refs.logCount;
    synchronized (cacheLock) {
      byte[] cached = cache.get(cacheKey);
      if (cached != null) {
        return cached;
      }
    }
    TraceData data = new TraceData();
    ViewIndex.read(refs.spans, record -> data.addSpans(record, traceId));
    ViewIndex.read(refs.logs, record -> data.addLogs(record, traceId, null));
    byte[] body = ViewJson.write(data::write);
    synchronized (cacheLock) {
      cache.put(cacheKey, body);
      cachedBytes += body.length;
      while (cachedBytes > CACHE_BYTES && cache.size() > 1) {
        Map.Entry<String, byte[]> eldest = cache.entrySet().iterator().next();
        cachedBytes -= eldest.getValue().length;
        cache.remove(eldest.getKey());
      }
    }
    return body;
  }

  byte[] logs(Map<String, String> query) {
    LogFilter filter;
    int offset;
    int limit;
    try {
      filter = LogFilter.parse(query);
      offset = intParameter(query, "offset", 0, Integer.MAX_VALUE);
      limit = intParameter(query, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    TraceData data = new TraceData();
    int[] skipped = {0};
    boolean[] more = {false};
    List<ViewIndex.RecordRef> refs = index.logRefs();
    try {
      ViewIndex.read(
          refs,
          record -> {
            List<LogItem> page = new ArrayList<>();
            data.collectLogs(record, filter, page);
            for (LogItem item : page) {
              if (skipped[0] < offset) {
                skipped[0]++;
              } else if (data.logs.size() < limit) {
                data.logs.add(item);
              } else {
                more[0] = true;
                throw new PageFull();
              }
            }
          });
    } catch (PageFull full) {
      // The page is full and one more matched: enough read.
    }
    return ViewJson.write(
        json -> {
          json.writeStartObject();
          json.writeNumberField("offset", offset);
          json.writeNumberField("limit", limit);
          json.writeBooleanField("more", more[0]);
          json.writeArrayFieldStart("logs");
          for (LogItem item : data.logs) {
            data.writeLog(json, item, 0);
          }
          json.writeEndArray();
          data.writeResourcesAndScopes(json);
          json.writeEndObject();
        });
  }

  /** Ends reading the logs once a page is full. */
  private static final class PageFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PageFull() {
      super(null, null, false, false);
    }
  }

  byte[] metrics() {
    List<MetricSummary.Row> rows = index.metrics();
    return ViewJson.write(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("metrics");
          for (MetricSummary.Row row : rows) {
            metricRow(json, row);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  private static void metricRow(JsonGenerator json, MetricSummary.Row row) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", row.id);
    json.writeStringField("name", row.name);
    json.writeStringField("description", row.description);
    json.writeStringField("unit", row.unit);
    json.writeStringField("type", row.type);
    json.writeStringField("temporality", row.temporality);
    json.writeBooleanField("monotonic", row.monotonic);
    json.writeStringField("service", row.service);
    json.writeStringField("scope", row.scope);
    json.writeNumberField("points", row.points);
    json.writeNumberField("series", row.series);
    if (row.points > 0) {
      ViewJson.time(json, "first", row.firstNanos);
      ViewJson.time(json, "last", row.lastNanos);
    }
    json.writeEndObject();
  }

  byte[] metric(String idText) {
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "a metric id is a number: " + idText);
    }
    ViewIndex.MetricRefs refs = index.metric(id);
    if (refs == null) {
      throw new ApiException(404, "no metric " + idText);
    }
    Map<String, Series> series = new LinkedHashMap<>();
    ViewIndex.read(
        refs.records,
        record -> {
          for (ResourceMetrics resource : record.getMetricsRequest().getResourceMetricsList()) {
            String service = ViewIndex.serviceOf(resource.getResource());
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
              for (Metric metric : scope.getMetricsList()) {
                String key =
                    MetricSummary.keyOf(
                        service, scope.getScope().getName(), metric, ViewIndex.metricType(metric));
                if (key.equals(refs.key)) {
                  addPoints(metric, series);
                }
              }
            }
          }
        });
    return ViewJson.write(
        json -> {
          json.writeStartObject();
          json.writeFieldName("metric");
          metricRow(json, refs.row);
          json.writeBooleanField("seriesTruncated", series.size() >= MAX_SERIES);
          json.writeArrayFieldStart("series");
          for (Series one : series.values()) {
            one.write(json);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  private static void addPoints(Metric metric, Map<String, Series> series) {
    switch (metric.getDataCase()) {
      case GAUGE:
        addEach(
            series,
            metric.getGauge().getDataPointsList(),
            NumberDataPoint::getAttributesList,
            Series::addNumber);
        break;
      case SUM:
        addEach(
            series,
            metric.getSum().getDataPointsList(),
            NumberDataPoint::getAttributesList,
            Series::addNumber);
        break;
      case HISTOGRAM:
        addEach(
            series,
            metric.getHistogram().getDataPointsList(),
            HistogramDataPoint::getAttributesList,
            Series::addHistogram);
        break;
      case EXPONENTIAL_HISTOGRAM:
        addEach(
            series,
            metric.getExponentialHistogram().getDataPointsList(),
            ExponentialHistogramDataPoint::getAttributesList,
            Series::addExponential);
        break;
      case SUMMARY:
        addEach(
            series,
            metric.getSummary().getDataPointsList(),
            SummaryDataPoint::getAttributesList,
            Series::addSummary);
        break;
      default:
        break;
    }
  }

  /** Adds each point to the series of its attributes, while there is room for that series. */
  private static <P> void addEach(
      Map<String, Series> series,
      List<P> points,
      Function<P, List<KeyValue>> attributes,
      BiConsumer<Series, P> add) {
    for (P point : points) {
      Series one = seriesOf(series, attributes.apply(point));
      if (one != null) {
        add.accept(one, point);
      }
    }
  }

  private static Series seriesOf(Map<String, Series> series, List<KeyValue> attributes) {
    String key = ViewJson.attributeSetKey(attributes);
    Series one = series.get(key);
    if (one == null) {
      if (series.size() >= MAX_SERIES) {
        return null;
      }
      one = new Series(attributes);
      series.put(key, one);
    }
    return one;
  }

  /** The points of one attribute set, each written as it is read (the last ones kept). */
  private static final class Series {
    final List<KeyValue> attributes;
    final List<ViewJson.Body> points = new ArrayList<>();
    long dropped;

    Series(List<KeyValue> attributes) {
      this.attributes = attributes;
    }

    private void add(ViewJson.Body point) {
      if (points.size() >= MAX_POINTS_PER_SERIES) {
        points.remove(0);
        dropped++;
      }
      points.add(point);
    }

    void addNumber(NumberDataPoint point) {
      add(
          json -> {
            json.writeNumberField("t", point.getTimeUnixNano() / 1e6);
            if (point.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
              json.writeNumberField("v", point.getAsInt());
            } else {
              json.writeFieldName("v");
              ViewJson.number(json, point.getAsDouble());
            }
          });
    }

    void addHistogram(HistogramDataPoint point) {
      add(
          json -> {
            timeAndCount(json, point.getTimeUnixNano(), point.getCount());
            numberIf(json, "sum", point.hasSum(), point.getSum());
            numberIf(json, "min", point.hasMin(), point.getMin());
            numberIf(json, "max", point.hasMax(), point.getMax());
            json.writeArrayFieldStart("bounds");
            for (double bound : point.getExplicitBoundsList()) {
              ViewJson.number(json, bound);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("counts");
            for (long count : point.getBucketCountsList()) {
              json.writeNumber(count);
            }
            json.writeEndArray();
          });
    }

    void addExponential(ExponentialHistogramDataPoint point) {
      add(
          json -> {
            timeAndCount(json, point.getTimeUnixNano(), point.getCount());
            numberIf(json, "sum", point.hasSum(), point.getSum());
            // As explicit buckets: bucket i of the positive range ends at base^(offset + i + 1).
            double base = Math.pow(2, Math.pow(2, -point.getScale()));
            int offset = point.getPositive().getOffset();
            List<Long> counts = point.getPositive().getBucketCountsList();
            json.writeArrayFieldStart("bounds");
            ViewJson.number(json, point.getZeroThreshold());
            for (int i = 0; i < counts.size(); i++) {
              ViewJson.number(json, Math.pow(base, offset + i + 1));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("counts");
            json.writeNumber(point.getZeroCount() + negativeCount(point));
            for (long count : counts) {
              json.writeNumber(count);
            }
            json.writeNumber(0);
            json.writeEndArray();
          });
    }

    /** The point's time, in milliseconds, and its count. */
    private static void timeAndCount(JsonGenerator json, long timeUnixNano, long count)
        throws IOException {
      json.writeNumberField("t", timeUnixNano / 1e6);
      json.writeNumberField("count", count);
    }

    /** A number field, written only when the point has the value. */
    private static void numberIf(JsonGenerator json, String name, boolean present, double value)
        throws IOException {
      if (present) {
        json.writeFieldName(name);
        ViewJson.number(json, value);
      }
    }

    private static long negativeCount(ExponentialHistogramDataPoint point) {
      long total = 0;
      for (long count : point.getNegative().getBucketCountsList()) {
        total += count;
      }
      return total;
    }

    void addSummary(SummaryDataPoint point) {
      add(
          json -> {
            timeAndCount(json, point.getTimeUnixNano(), point.getCount());
            numberIf(json, "v", true, point.getSum());
            json.writeArrayFieldStart("quantiles");
            for (SummaryDataPoint.ValueAtQuantile quantile : point.getQuantileValuesList()) {
              json.writeStartObject();
              json.writeNumberField("q", quantile.getQuantile());
              json.writeFieldName("v");
              ViewJson.number(json, quantile.getValue());
              json.writeEndObject();
            }
            json.writeEndArray();
          });
    }

    void write(JsonGenerator json) throws IOException {
      json.writeStartObject();
      ViewJson.attributes(json, "attributes", attributes);
      json.writeNumberField("droppedPoints", dropped);
      json.writeArrayFieldStart("points");
      for (ViewJson.Body point : points) {
        json.writeStartObject();
        point.write(json);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private static int intParameter(Map<String, String> query, String name, int dflt, int max) {
    String text = query.getOrDefault(name, "").trim();
    if (text.isEmpty()) {
      return dflt;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + text);
    }
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be in 0.." + max + ", but was " + value);
    }
    return value;
  }

  /** A span with where it came from. */
  static final class SpanItem {
    final Span span;
    final int resource;
    final int scope;

    SpanItem(Span span, int resource, int scope) {
      this.span = span;
      this.resource = resource;
      this.scope = scope;
    }
  }

  /** A log record with where it came from. */
  static final class LogItem {
    final LogRecord log;
    final int resource;
    final int scope;

    LogItem(LogRecord log, int resource, int scope) {
      this.log = log;
      this.resource = resource;
      this.scope = scope;
    }
  }

  /** The spans and logs gathered for one answer, resources and scopes written once each. */
  static final class TraceData {
    final List<SpanItem> spans = new ArrayList<>();
    final List<LogItem> logs = new ArrayList<>();
    final List<Resource> resources = new ArrayList<>();
    final List<InstrumentationScope> scopes = new ArrayList<>();
    private final Map<Message, Integer> resourceIds = new HashMap<>();
    private final Map<Message, Integer> scopeIds = new HashMap<>();

    private int resourceId(Resource resource) {
      Integer id = resourceIds.get(resource);
      if (id == null) {
        id = resources.size();
        resources.add(resource);
        resourceIds.put(resource, id);
      }
      return id;
    }

    private int scopeId(InstrumentationScope scope) {
      Integer id = scopeIds.get(scope);
      if (id == null) {
        id = scopes.size();
        scopes.add(scope);
        scopeIds.put(scope, id);
      }
      return id;
    }

    void addSpans(OtlpRecord record, String traceId) {
      for (ResourceSpans resource : record.getTraceRequest().getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            if (ViewIndex.hex(span.getTraceId()).equals(traceId)) {
              spans.add(
                  new SpanItem(
                      span, resourceId(resource.getResource()), scopeId(scope.getScope())));
            }
          }
        }
      }
    }

    void addLogs(OtlpRecord record, String traceId, LogFilter filter) {
      for (ResourceLogs resource : record.getLogsRequest().getResourceLogsList()) {
        for (ScopeLogs scope : resource.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            if (ViewIndex.hex(log.getTraceId()).equals(traceId)) {
              logs.add(
                  new LogItem(log, resourceId(resource.getResource()), scopeId(scope.getScope())));
            }
          }
        }
      }
    }

    void collectLogs(OtlpRecord record, LogFilter filter, List<LogItem> into) {
      for (ResourceLogs resource : record.getLogsRequest().getResourceLogsList()) {
        String service = ViewIndex.serviceOf(resource.getResource());
        for (ScopeLogs scope : resource.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            if (filter.accepts(log, service, resource.getResource())) {
              into.add(
                  new LogItem(log, resourceId(resource.getResource()), scopeId(scope.getScope())));
            }
          }
        }
      }
    }

    void write(JsonGenerator json) throws IOException {
      List<Span> plain = new ArrayList<>(spans.size());
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (SpanItem item : spans) {
        plain.add(item.span);
        start = Math.min(start, item.span.getStartTimeUnixNano());
        end =
            Math.max(
                end, Math.max(item.span.getStartTimeUnixNano(), item.span.getEndTimeUnixNano()));
      }
      TraceTree tree = new TraceTree(plain);
      logs.sort((a, b) -> Long.compare(timeOf(a.log), timeOf(b.log)));
      json.writeStartObject();
      json.writeStringField(
          "traceId", spans.isEmpty() ? "" : ViewIndex.hex(spans.get(0).span.getTraceId()));
      ViewJson.time(json, "start", start);
      json.writeNumberField("durationNs", end - start);
      json.writeNumberField("spanCount", spans.size());
      json.writeNumberField("missingParents", tree.missingParents);
      json.writeNumberField("cycles", tree.cycles);
      json.writeArrayFieldStart("spans");
      for (int i : tree.order) {
        SpanItem item = spans.get(i);
        Span span = item.span;
        json.writeStartObject();
        json.writeStringField("spanId", ViewIndex.hex(span.getSpanId()));
        json.writeStringField("parentSpanId", ViewIndex.hex(span.getParentSpanId()));
        json.writeStringField("name", span.getName());
        json.writeStringField("kind", kindOf(span.getKind()));
        json.writeNumberField("depth", tree.depth[i]);
        json.writeNumberField("children", tree.childCount[i]);
        if (tree.parentMissing[i]) {
          json.writeBooleanField("parentMissing", true);
        }
        if (tree.cycle[i]) {
          json.writeBooleanField("cycle", true);
        }
        ViewJson.time(json, "start", span.getStartTimeUnixNano());
        json.writeNumberField("offsetNs", span.getStartTimeUnixNano() - start);
        json.writeNumberField(
            "durationNs", Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()));
        json.writeStringField("status", statusOf(span.getStatus().getCodeValue()));
        json.writeStringField("statusMessage", span.getStatus().getMessage());
        json.writeStringField("traceState", span.getTraceState());
        json.writeNumberField("resource", item.resource);
        json.writeNumberField("scope", item.scope);
        ViewJson.attributes(json, "attributes", span.getAttributesList());
        json.writeNumberField("droppedAttributes", span.getDroppedAttributesCount());
        json.writeArrayFieldStart("events");
        for (Span.Event event : span.getEventsList()) {
          json.writeStartObject();
          json.writeStringField("name", event.getName());
          json.writeNumberField("offsetNs", event.getTimeUnixNano() - start);
          ViewJson.attributes(json, "attributes", event.getAttributesList());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("links");
        for (Span.Link link : span.getLinksList()) {
          json.writeStartObject();
          json.writeStringField("traceId", ViewIndex.hex(link.getTraceId()));
          json.writeStringField("spanId", ViewIndex.hex(link.getSpanId()));
          json.writeStringField("traceState", link.getTraceState());
          ViewJson.attributes(json, "attributes", link.getAttributesList());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("logs");
      for (LogItem item : logs) {
        writeLog(json, item, start);
      }
      json.writeEndArray();
      writeResourcesAndScopes(json);
      json.writeEndObject();
    }

    void writeResourcesAndScopes(JsonGenerator json) throws IOException {
      json.writeArrayFieldStart("resources");
      for (Resource resource : resources) {
        ViewJson.resource(json, resource);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("scopes");
      for (InstrumentationScope scope : scopes) {
        ViewJson.scope(json, scope);
      }
      json.writeEndArray();
    }

    void writeLog(JsonGenerator json, LogItem item, long traceStart) throws IOException {
      LogRecord log = item.log;
      json.writeStartObject();
      ViewJson.time(json, "time", timeOf(log));
      if (traceStart != 0) {
        json.writeNumberField("offsetNs", timeOf(log) - traceStart);
      }
      json.writeStringField("severityText", log.getSeverityText());
      json.writeNumberField("severityNumber", log.getSeverityNumberValue());
      json.writeFieldName("body");
      ViewJson.value(json, log.getBody());
      json.writeStringField("eventName", log.getEventName());
      json.writeStringField("traceId", ViewIndex.hex(log.getTraceId()));
      json.writeStringField("spanId", ViewIndex.hex(log.getSpanId()));
      json.writeNumberField("resource", item.resource);
      json.writeNumberField("scope", item.scope);
      ViewJson.attributes(json, "attributes", log.getAttributesList());
      json.writeEndObject();
    }
  }

  static long timeOf(LogRecord log) {
    return log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
  }

  static String kindOf(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_SERVER:
        return "server";
      case SPAN_KIND_CLIENT:
        return "client";
      case SPAN_KIND_PRODUCER:
        return "producer";
      case SPAN_KIND_CONSUMER:
        return "consumer";
      default:
        return "internal";
    }
  }

  static String statusOf(int code) {
    return code == 2 ? "error" : code == 1 ? "ok" : "unset";
  }

  /** The logs list's filters. Immutable after parsing. */
  static final class LogFilter {
    int minSeverity;
    String text = "";
    String service = "";
    String traceId = "";
    String attributeKey = "";
    String attributeValue;
    long fromNanos = -1;
    long toNanos = -1;

    static LogFilter parse(Map<String, String> query) {
      LogFilter filter = new LogFilter();
      String severity = query.getOrDefault("minSeverity", "").trim();
      if (!severity.isEmpty()) {
        try {
          filter.minSeverity = Integer.parseInt(severity);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("minSeverity must be a number 1..24: " + severity);
        }
      }
      filter.text = query.getOrDefault("q", "").trim().toLowerCase(Locale.ROOT);
      filter.service = query.getOrDefault("service", "").trim();
      filter.traceId = query.getOrDefault("traceId", "").trim().toLowerCase(Locale.ROOT);
      String[] attribute = TraceFilter.attributeParameter(query);
      filter.attributeKey = attribute[0];
      filter.attributeValue = attribute[1];
      TraceFilter times = TraceFilter.parse(subset(query, "fromMs", "toMs"));
      filter.fromNanos = times.fromNanos;
      filter.toNanos = times.toNanos;
      return filter;
    }

    private static Map<String, String> subset(Map<String, String> query, String... keys) {
      Map<String, String> subset = new HashMap<>();
      for (String key : keys) {
        if (query.containsKey(key)) {
          subset.put(key, query.get(key));
        }
      }
      return subset;
    }

    boolean accepts(LogRecord log, String logService, Resource resource) {
      if (log.getSeverityNumberValue() < minSeverity) {
        return false;
      }
      if (!service.isEmpty() && !service.equals(logService)) {
        return false;
      }
      if (!traceId.isEmpty() && !ViewIndex.hex(log.getTraceId()).equals(traceId)) {
        return false;
      }
      long time = timeOf(log);
      if ((fromNanos >= 0 && time < fromNanos) || (toNanos >= 0 && time > toNanos)) {
        return false;
      }
      if (!attributeKey.isEmpty()
          && !ViewJson.matches(log.getAttributesList(), attributeKey, attributeValue)
          && !ViewJson.matches(resource.getAttributesList(), attributeKey, attributeValue)) {
        return false;
      }
      if (!text.isEmpty()) {
        AnyValue body = log.getBody();
        return ViewJson.text(body).toLowerCase(Locale.ROOT).contains(text)
            || log.getSeverityText().toLowerCase(Locale.ROOT).contains(text);
      }
      return true;
    }
  }
}
