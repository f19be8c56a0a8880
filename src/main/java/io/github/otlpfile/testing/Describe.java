package io.github.otlpfile.testing;

import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.function.Function;

/**
 * One-line descriptions of telemetry for failure messages. Telemetry is untrusted: control
 * characters are escaped and long values cut, so a message cannot rewrite the terminal. Stateless.
 */
final class Describe {
  private static final int MAX_ITEMS = 50;
  private static final int MAX_VALUE_CHARS = 120;

  private Describe() {}

  static String span(SpanData span) {
    return "span "
        + quote(span.getName())
        + " (trace "
        + span.getTraceId()
        + ", span "
        + span.getSpanId()
        + (span.getParentSpanContext().isValid() ? ", parent " + span.getParentSpanId() : ", root")
        + ", "
        + span.getKind()
        + ")";
  }

  static String metric(MetricData metric) {
    return "metric "
        + quote(metric.getName())
        + " ("
        + metric.getType()
        + ", "
        + metric.getData().getPoints().size()
        + " points, scope "
        + quote(metric.getInstrumentationScopeInfo().getName())
        + ")";
  }

  static String logRecord(LogRecordData log) {
    Value<?> body = log.getBodyValue();
    return "log record "
        + log.getSeverity()
        + " "
        + (body == null ? "(no body)" : quote(body.asString()))
        + (log.getSpanContext().isValid()
            ? " (span " + log.getSpanContext().getSpanId() + ")"
            : "");
  }

  static <T> Function<List<T>, String> listOf(Function<T, String> describe) {
    return items -> list(items, describe);
  }

  /** The items one per line, at most {@value #MAX_ITEMS}. */
  static <T> String list(List<T> items, Function<T, String> describe) {
    if (items.isEmpty()) {
      return " (none)";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(items.size(), MAX_ITEMS); i++) {
      out.append("\n  ").append(describe.apply(items.get(i)));
    }
    if (items.size() > MAX_ITEMS) {
      out.append("\n  and ").append(items.size() - MAX_ITEMS).append(" more");
    }
    return out.toString();
  }

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    int end = Math.min(value.length(), MAX_VALUE_CHARS);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20
          || c == 0x7f
          || (c >= 0x80 && c < 0xa0)
          || c == 0x2028
          || c == 0x2029
          || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    if (value.length() > end) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
