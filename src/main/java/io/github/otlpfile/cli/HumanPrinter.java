package io.github.otlpfile.cli;

import com.google.protobuf.ByteString;
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
import io.opentelemetry.proto.trace.v1.Status;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints records for people: spans as trace trees, one line per metric data point, one line per log
 * record with its trace context. Every value from the files is escaped.
 *
 * <p>Spans are held in a bounded window until their trace is printed: a trace is printed once a
 * record holding its root span (a span without a parent) has been read, or when the window holds
 * more than its maximum of spans (the trace seen first goes first), or when it has had no new span
 * for the idle time (under {@code --follow}), or at the end. A trace's later spans then print as a
 * continuation. So memory stays bounded by the window whatever the input.
 *
 * <p>Not thread-safe.
 */
final class HumanPrinter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final int MAX_SPAN_ATTRIBUTES = 8;
  private static final int MAX_LOG_ATTRIBUTES = 6;
  private static final int MAX_POINT_ATTRIBUTES = 8;
  private static final int MAX_INDENT = 24;
  private static final String[] KINDS = {
    "", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"
  };
  private static final String[] SEVERITIES = {
    "", "TRACE", "TRACE2", "TRACE3", "TRACE4", "DEBUG", "DEBUG2", "DEBUG3", "DEBUG4", "INFO",
    "INFO2", "INFO3", "INFO4", "WARN", "WARN2", "WARN3", "WARN4", "ERROR", "ERROR2", "ERROR3",
    "ERROR4", "FATAL", "FATAL2", "FATAL3", "FATAL4"
  };

  private final Console console;
  private final PrintWriter out;
  private final int maxWindowSpans;
  private final long idleNanos;
  // Traces in the window, in the order they were first seen.
  private final LinkedHashMap<ByteString, PendingTrace> window = new LinkedHashMap<>();
  // Traces already printed in part: their later spans print as a continuation. Bounded.
  private final Set<ByteString> printed = boundedSet(100_000);
  private int windowSpans;

  HumanPrinter(Console console, int maxWindowSpans, long idleNanos) {
    this.console = console;
    this.out = console.out();
    this.maxWindowSpans = maxWindowSpans;
    this.idleNanos = idleNanos;
  }

  /** Prints (or, for spans, takes into the window) the items of {@code request}. */
  void print(Message request, long nowNanos) {
    if (request instanceof ExportTraceServiceRequest) {
      addSpans((ExportTraceServiceRequest) request, nowNanos);
    } else if (request instanceof ExportMetricsServiceRequest) {
      printMetrics((ExportMetricsServiceRequest) request);
    } else if (request instanceof ExportLogsServiceRequest) {
      printLogs((ExportLogsServiceRequest) request);
    }
  }

  /** Prints the traces that have had no new span for the idle time. */
  void flushIdle(long nowNanos) {
    Iterator<PendingTrace> it = window.values().iterator();
    while (it.hasNext()) {
      PendingTrace trace = it.next();
      if (nowNanos - trace.lastAddedNanos >= idleNanos) {
        it.remove();
        windowSpans -= trace.spans.size();
        printTrace(trace);
      }
    }
  }

  /** Prints every trace still in the window. */
  void flushAll() {
    for (PendingTrace trace : window.values()) {
      printTrace(trace);
    }
    window.clear();
    windowSpans = 0;
  }

  private void addSpans(ExportTraceServiceRequest request, long nowNanos) {
    List<PendingTrace> complete = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = RecordFilter.serviceName(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          PendingTrace trace = window.get(span.getTraceId());
          if (trace == null) {
            trace = new PendingTrace(span.getTraceId());
            window.put(span.getTraceId(), trace);
          }
          trace.spans.add(new TreeSpan(span, service));
          trace.lastAddedNanos = nowNanos;
          windowSpans++;
          if (span.getParentSpanId().isEmpty() && !trace.rootSeen) {
            trace.rootSeen = true;
            complete.add(trace);
          }
        }
      }
    }
    for (PendingTrace trace : complete) {
      if (window.remove(trace.traceId) != null) {
        windowSpans -= trace.spans.size();
        printTrace(trace);
      }
    }
    while (windowSpans > maxWindowSpans && !window.isEmpty()) {
      Iterator<PendingTrace> it = window.values().iterator();
      PendingTrace oldest = it.next();
      it.remove();
      windowSpans -= oldest.spans.size();
      printTrace(oldest);
    }
  }

  private void printTrace(PendingTrace trace) {
    List<TreeSpan> spans = trace.spans;
    Set<String> services = new LinkedHashSet<>();
    long start = -1;
    long end = 0;
    for (TreeSpan s : spans) {
      if (s.service != null) {
        services.add(s.service);
      }
      long st = s.span.getStartTimeUnixNano();
      if (start == -1 || Long.compareUnsigned(st, start) < 0) {
        start = st;
      }
      if (Long.compareUnsigned(s.span.getEndTimeUnixNano(), end) > 0) {
        end = s.span.getEndTimeUnixNano();
      }
    }
    boolean continued = !printed.add(trace.traceId);
    StringBuilder header = new StringBuilder();
    header.append(console.style(Console.BOLD, "trace " + hex(trace.traceId)));
    if (continued) {
      header.append(" (continued)");
    }
    header.append("  ").append(spans.size()).append(spans.size() == 1 ? " span" : " spans");
    header.append("  ").append(duration(start, end));
    header.append("  ").append(time(start));
    if (!services.isEmpty()) {
      header.append("  ").append(services.size() == 1 ? "service " : "services ");
      header.append(Console.text(String.join(", ", services), 200));
    }
    out.println(header);
    boolean showService = services.size() > 1;

    Map<ByteString, List<TreeSpan>> children = new HashMap<>();
    Set<ByteString> ids = new HashSet<>();
    for (TreeSpan s : spans) {
      ids.add(s.span.getSpanId());
    }
    List<TreeSpan> roots = new ArrayList<>();
    for (TreeSpan s : spans) {
      ByteString parent = s.span.getParentSpanId();
      if (parent.isEmpty() || !ids.contains(parent) || parent.equals(s.span.getSpanId())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
      }
    }
    Comparator<TreeSpan> byStart =
        (a, b) ->
            Long.compareUnsigned(a.span.getStartTimeUnixNano(), b.span.getStartTimeUnixNano());
    roots.sort(byStart);
    Set<TreeSpan> visited = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (TreeSpan root : roots) {
      printTree(root, children, byStart, visited, showService);
    }
    // Spans in a parent cycle have no root: print them too, once.
    for (TreeSpan s : spans) {
      if (!visited.contains(s)) {
        printTree(s, children, byStart, visited, showService);
      }
    }
    out.flush();
  }

  private void printTree(
      TreeSpan root,
      Map<ByteString, List<TreeSpan>> children,
      Comparator<TreeSpan> byStart,
      Set<TreeSpan> visited,
      boolean showService) {
    // Depth first without recursion: a hostile file may nest spans arbitrarily deep.
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, ""});
    boolean first = true;
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      TreeSpan s = (TreeSpan) top[0];
      String prefix = (String) top[1];
      if (!visited.add(s)) {
        continue;
      }
      String childPrefix;
      String line;
      if (first) {
        line = "  ";
        childPrefix = "  ";
        first = false;
      } else {
        boolean last = prefix.endsWith("L");
        String base = prefix.substring(0, prefix.length() - 1);
        line = base + (last ? "└─ " : "├─ ");
        childPrefix = base.length() / 3 >= MAX_INDENT ? base : base + (last ? "   " : "│  ");
      }
      out.println(line + spanLine(s, showService, root == s));
      List<TreeSpan> kids = children.get(s.span.getSpanId());
      if (kids != null) {
        kids.sort(byStart);
        for (int i = kids.size() - 1; i >= 0; i--) {
          stack.push(new Object[] {kids.get(i), childPrefix + (i == kids.size() - 1 ? "L" : "T")});
        }
      }
    }
  }

  private String spanLine(TreeSpan s, boolean showService, boolean isRoot) {
    Span span = s.span;
    StringBuilder line = new StringBuilder();
    line.append(console.style(Console.BOLD, Console.text(span.getName(), 200)));
    int kind = span.getKindValue();
    if (kind > 0 && kind < KINDS.length) {
      line.append(' ').append(console.style(Console.FAINT, KINDS[kind]));
    }
    line.append("  ").append(duration(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()));
    Status status = span.getStatus();
    if (status.getCodeValue() == Status.StatusCode.STATUS_CODE_OK_VALUE) {
      line.append("  ").append(console.style(Console.GREEN, "OK"));
    } else if (status.getCodeValue() == Status.StatusCode.STATUS_CODE_ERROR_VALUE) {
      String text =
          "ERROR"
              + (status.getMessage().isEmpty()
                  ? ""
                  : ": " + Console.text(status.getMessage(), 200));
      line.append("  ").append(console.style(Console.RED, text));
    }
    if (showService && s.service != null) {
      line.append("  [").append(Console.text(s.service, 80)).append(']');
    }
    if (isRoot && !span.getParentSpanId().isEmpty()) {
      line.append(console.style(Console.FAINT, "  (parent " + hex(span.getParentSpanId()) + ")"));
    }
    if (span.getAttributesCount() > 0) {
      line.append("  ").append(ValueText.attributes(span.getAttributesList(), MAX_SPAN_ATTRIBUTES));
    }
    if (span.getEventsCount() > 0) {
      line.append("  events: ");
      for (int i = 0; i < span.getEventsCount() && i < 4; i++) {
        line.append(i > 0 ? ", " : "").append(Console.text(span.getEvents(i).getName(), 60));
      }
      if (span.getEventsCount() > 4) {
        line.append(" +").append(span.getEventsCount() - 4).append(" more");
      }
    }
    if (span.getLinksCount() > 0) {
      line.append("  links: ").append(span.getLinksCount());
    }
    return line.toString();
  }

  private void printMetrics(ExportMetricsServiceRequest request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = serviceSuffix(rm.getResource());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          printMetric(metric, service);
        }
      }
    }
    out.flush();
  }

  private void printMetric(Metric metric, String service) {
    String name = console.style(Console.BOLD, Console.text(metric.getName(), 200));
    String unit = metric.getUnit().isEmpty() ? "" : " " + Console.text(metric.getUnit(), 40);
    switch (metric.getDataCase()) {
      case GAUGE:
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          pointLine(
              p.getTimeUnixNano(), name, "gauge", number(p) + unit, p.getAttributesList(), service);
        }
        break;
      case SUM:
        String type =
            "sum "
                + temporality(metric.getSum().getAggregationTemporalityValue())
                + (metric.getSum().getIsMonotonic() ? " monotonic" : "");
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          pointLine(
              p.getTimeUnixNano(), name, type, number(p) + unit, p.getAttributesList(), service);
        }
        break;
      case HISTOGRAM:
        String htype =
            "histogram " + temporality(metric.getHistogram().getAggregationTemporalityValue());
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          String value =
              "count="
                  + Long.toUnsignedString(p.getCount())
                  + (p.hasSum() ? " sum=" + p.getSum() : "")
                  + (p.hasMin() ? " min=" + p.getMin() : "")
                  + (p.hasMax() ? " max=" + p.getMax() : "")
                  + unit;
          pointLine(p.getTimeUnixNano(), name, htype, value, p.getAttributesList(), service);
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        String etype =
            "exponential histogram "
                + temporality(metric.getExponentialHistogram().getAggregationTemporalityValue());
        for (ExponentialHistogramDataPoint p :
            metric.getExponentialHistogram().getDataPointsList()) {
          String value =
              "count="
                  + Long.toUnsignedString(p.getCount())
                  + (p.hasSum() ? " sum=" + p.getSum() : "")
                  + " scale="
                  + p.getScale()
                  + unit;
          pointLine(p.getTimeUnixNano(), name, etype, value, p.getAttributesList(), service);
        }
        break;
      case SUMMARY:
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          String value =
              "count=" + Long.toUnsignedString(p.getCount()) + " sum=" + p.getSum() + unit;
          pointLine(p.getTimeUnixNano(), name, "summary", value, p.getAttributesList(), service);
        }
        break;
      default:
        out.println(time(0) + "  " + name + "  (no data)" + service);
    }
  }

  private void pointLine(
      long time,
      String name,
      String type,
      String value,
      List<KeyValue> attributes,
      String service) {
    StringBuilder line = new StringBuilder();
    line.append(console.style(Console.FAINT, time(time))).append("  ").append(name);
    line.append("  ").append(console.style(Console.FAINT, type)).append("  ").append(value);
    if (!attributes.isEmpty()) {
      line.append("  {").append(ValueText.attributes(attributes, MAX_POINT_ATTRIBUTES)).append('}');
    }
    line.append(service);
    out.println(line);
  }

  private static String number(NumberDataPoint p) {
    switch (p.getValueCase()) {
      case AS_INT:
        return Long.toString(p.getAsInt());
      case AS_DOUBLE:
        return Double.toString(p.getAsDouble());
      default:
        return "(no value)";
    }
  }

  private static String temporality(int value) {
    switch (value) {
      case 1:
        return "delta";
      case 2:
        return "cumulative";
      default:
        return "unspecified";
    }
  }

  private void printLogs(ExportLogsServiceRequest request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      String service = serviceSuffix(rl.getResource());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord log : sl.getLogRecordsList()) {
          out.println(logLine(log, service));
        }
      }
    }
    out.flush();
  }

  private String logLine(LogRecord log, String service) {
    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
    StringBuilder line = new StringBuilder();
    line.append(console.style(Console.FAINT, time(time))).append("  ");
    int severity = log.getSeverityNumberValue();
    String level =
        !log.getSeverityText().isEmpty()
            ? Console.text(log.getSeverityText(), 20)
            : severity > 0 && severity < SEVERITIES.length ? SEVERITIES[severity] : "-";
    String padded = String.format(Locale.ROOT, "%-5s", level);
    line.append(
        severity >= 17
            ? console.style(Console.RED, padded)
            : severity >= 13 ? console.style(Console.YELLOW, padded) : padded);
    if (!log.getEventName().isEmpty()) {
      line.append("  ").append(console.style(Console.BOLD, Console.text(log.getEventName(), 120)));
    }
    line.append("  ").append(ValueText.shown(log.getBody()));
    if (!log.getTraceId().isEmpty()) {
      line.append(console.style(Console.FAINT, "  trace=" + hex(log.getTraceId())));
    }
    if (!log.getSpanId().isEmpty()) {
      line.append(console.style(Console.FAINT, " span=" + hex(log.getSpanId())));
    }
    if (log.getAttributesCount() > 0) {
      line.append("  ").append(ValueText.attributes(log.getAttributesList(), MAX_LOG_ATTRIBUTES));
    }
    line.append(service);
    return line.toString();
  }

  private String serviceSuffix(Resource resource) {
    String service = RecordFilter.serviceName(resource);
    return service == null
        ? ""
        : console.style(Console.CYAN, "  [" + Console.text(service, 80) + "]");
  }

  static String time(long unixNanos) {
    if (unixNanos == 0) {
      return "-";
    }
    if (unixNanos < 0) {
      return Long.toUnsignedString(unixNanos) + "ns";
    }
    return TIME.format(
        Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L));
  }

  static String duration(long startNanos, long endNanos) {
    if (startNanos == 0 || endNanos == 0 || Long.compareUnsigned(endNanos, startNanos) < 0) {
      return "?";
    }
    long nanos = endNanos - startNanos;
    if (nanos < 0) {
      return "?";
    }
    if (nanos < 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder(bytes.size() * 2);
    for (int i = 0; i < bytes.size() && i < 64; i++) {
      out.append(Character.forDigit((bytes.byteAt(i) >> 4) & 0xf, 16));
      out.append(Character.forDigit(bytes.byteAt(i) & 0xf, 16));
    }
    if (bytes.size() > 64) {
      out.append("…");
    }
    return out.toString();
  }

  private static <T> Set<T> boundedSet(int max) {
    return java.util.Collections.newSetFromMap(
        new LinkedHashMap<T, Boolean>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
            return size() > max;
          }
        });
  }

  private static final class PendingTrace {
    final ByteString traceId;
    final List<TreeSpan> spans = new ArrayList<>();
    long lastAddedNanos;
    boolean rootSeen;

    PendingTrace(ByteString traceId) {
      this.traceId = traceId;
    }
  }

  private static final class TreeSpan {
    final Span span;
    final String service;

    TreeSpan(Span span, String service) {
      this.span = span;
      this.service = service;
    }
  }
}
