package io.github.otlpfile.cli;

import com.google.protobuf.ByteString;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The item filters of {@code cat}: signal, service, trace id, name, time range and attributes.
 * Every filter given must match; none given matches everything.
 *
 * <p>Immutable.
 */
final class RecordFilter {
  private final Set<OtlpSignal> signals;
  private final String service;
  private final ByteString traceId;
  private final Pattern name;
  private final long sinceNanos;
  private final long untilNanos;
  private final List<Map.Entry<String, String>> attributes;

  RecordFilter(
      Set<OtlpSignal> signals,
      String service,
      ByteString traceId,
      Pattern name,
      long sinceNanos,
      long untilNanos,
      List<Map.Entry<String, String>> attributes) {
    this.signals = signals.isEmpty() ? EnumSet.allOf(OtlpSignal.class) : EnumSet.copyOf(signals);
    this.service = service;
    this.traceId = traceId;
    this.name = name;
    this.sinceNanos = sinceNanos;
    this.untilNanos = untilNanos;
    this.attributes = Collections.unmodifiableList(new ArrayList<>(attributes));
  }

  /** Whether any filter on items is set (the signal filter is not one). */
  boolean filtersItems() {
    return service != null
        || traceId != null
        || name != null
        || sinceNanos != Long.MIN_VALUE
        || untilNanos != Long.MAX_VALUE
        || !attributes.isEmpty();
  }

  boolean accepts(OtlpSignal signal) {
    return signals.contains(signal);
  }

  Set<OtlpSignal> signals() {
    return Collections.unmodifiableSet(signals);
  }

  /** Whether the items of {@code resource} can match at all (the service filter). */
  boolean acceptsResource(Resource resource) {
    return service == null || service.equals(serviceName(resource));
  }

  boolean acceptsSpan(Resource resource, Span span) {
    return (traceId == null || traceId.equals(span.getTraceId()))
        && (name == null || name.matcher(span.getName()).matches())
        && inRange(span.getStartTimeUnixNano(), span.getEndTimeUnixNano())
        && attributesMatch(span.getAttributesList(), resource);
  }

  boolean acceptsPoint(
      Resource resource, String metricName, long timeUnixNano, List<KeyValue> pointAttributes) {
    return traceId == null
        && (name == null || name.matcher(metricName).matches())
        && inRange(timeUnixNano, timeUnixNano)
        && attributesMatch(pointAttributes, resource);
  }

  boolean acceptsLog(Resource resource, LogRecord log) {
    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
    return (traceId == null || traceId.equals(log.getTraceId()))
        && (name == null || name.matcher(log.getEventName()).matches())
        && inRange(time, time)
        && attributesMatch(log.getAttributesList(), resource);
  }

  // Unsigned comparison: the times are fixed64.
  private boolean inRange(long start, long end) {
    return (sinceNanos == Long.MIN_VALUE || Long.compareUnsigned(end, sinceNanos) >= 0)
        && (untilNanos == Long.MAX_VALUE || Long.compareUnsigned(start, untilNanos) < 0);
  }

  private boolean attributesMatch(List<KeyValue> own, Resource resource) {
    for (Map.Entry<String, String> wanted : attributes) {
      if (!contains(own, wanted) && !contains(resource.getAttributesList(), wanted)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(List<KeyValue> attributes, Map.Entry<String, String> wanted) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(wanted.getKey())
          && ValueText.plain(kv.getValue()).equals(wanted.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** The {@code service.name} of a resource, or {@code null}. */
  static String serviceName(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        AnyValue value = kv.getValue();
        return value.hasStringValue() ? value.getStringValue() : ValueText.plain(value);
      }
    }
    return null;
  }

  /** A glob with {@code *} (any text) and {@code ?} (one character) as a pattern. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
