package io.github.otlpfile.cli.view;

import java.util.Locale;
import java.util.Map;

/**
 * The trace list's filters, from the query of {@code /api/traces}. The attribute filter needs the
 * spans themselves and is applied by reading the candidates' records; the others work on the
 * index's summaries.
 *
 * <p>Immutable after parsing.
 */
final class TraceFilter {
  String service = "";
  String name = "";
  String status = "";
  long minDurationNanos = -1;
  long maxDurationNanos = -1;
  long fromNanos = -1;
  long toNanos = -1;
  String attributeKey = "";
  String attributeValue;
  String sort = "start";

  static TraceFilter parse(Map<String, String> query) {
    TraceFilter filter = new TraceFilter();
    filter.service = query.getOrDefault("service", "").trim();
    filter.name = query.getOrDefault("name", "").trim().toLowerCase(Locale.ROOT);
    filter.status = query.getOrDefault("status", "").trim().toLowerCase(Locale.ROOT);
    if (!filter.status.isEmpty() && !filter.status.equals("error") && !filter.status.equals("ok")) {
      throw new IllegalArgumentException("status must be error or ok, but was " + filter.status);
    }
    filter.minDurationNanos = millisToNanos(query, "minDurationMs");
    filter.maxDurationNanos = millisToNanos(query, "maxDurationMs");
    filter.fromNanos = millisToNanos(query, "fromMs");
    filter.toNanos = millisToNanos(query, "toMs");
    String[] attribute = attributeParameter(query);
    filter.attributeKey = attribute[0];
    filter.attributeValue = attribute[1];
    filter.sort = query.getOrDefault("sort", "start");
    if (!filter.sort.equals("start") && !filter.sort.equals("duration")) {
      throw new IllegalArgumentException("sort must be start or duration, but was " + filter.sort);
    }
    return filter;
  }

  /**
   * The {@code attribute} parameter, {@code KEY} or {@code KEY=VALUE}, as {@code {key, value}}; the
   * value is {@code null} when there is no {@code =}, the key empty when there is no parameter.
   */
  static String[] attributeParameter(Map<String, String> query) {
    String attribute = query.getOrDefault("attribute", "").trim();
    int equals = attribute.indexOf('=');
    if (equals < 0) {
      return new String[] {attribute, null};
    }
    return new String[] {
      attribute.substring(0, equals).trim(), attribute.substring(equals + 1).trim()
    };
  }

  private static long millisToNanos(Map<String, String> query, String parameter) {
    String text = query.getOrDefault(parameter, "").trim();
    if (text.isEmpty()) {
      return -1;
    }
    java.math.BigDecimal millis;
    try {
      millis = new java.math.BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(parameter + " must be a number of milliseconds: " + text);
    }
    if (millis.signum() < 0
        || millis.compareTo(java.math.BigDecimal.valueOf(9_000_000_000_000L)) > 0) {
      throw new IllegalArgumentException(
          parameter + " must be in 0..9e12 milliseconds, but was " + text);
    }
    // Exact: a time in nanoseconds since 1970 does not fit a double.
    return millis.movePointRight(6).longValue();
  }

  boolean hasAttribute() {
    return !attributeKey.isEmpty();
  }

  boolean accepts(
      ViewIndex.TraceSummary trace, ViewIndex.Dictionary names, ViewIndex.Dictionary services) {
    if (!service.isEmpty() && !anyEquals(trace.serviceIds, services, service)) {
      return false;
    }
    if (!name.isEmpty()
        && !anyContains(trace.nameIds, names, name)
        && !names.lowerCase(trace.rootName).contains(name)) {
      return false;
    }
    if (status.equals("error") && trace.errorCount == 0) {
      return false;
    }
    if (status.equals("ok") && trace.errorCount > 0) {
      return false;
    }
    long duration = trace.endNanos - trace.startNanos;
    if (minDurationNanos >= 0 && duration < minDurationNanos) {
      return false;
    }
    if (maxDurationNanos >= 0 && duration > maxDurationNanos) {
      return false;
    }
    if (fromNanos >= 0 && trace.startNanos < fromNanos) {
      return false;
    }
    return toNanos < 0 || trace.startNanos <= toNanos;
  }

  private static boolean anyEquals(
      ViewIndex.IntList ids, ViewIndex.Dictionary dictionary, String wanted) {
    for (int i = 0; i < ids.size; i++) {
      if (dictionary.value(ids.values[i]).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyContains(
      ViewIndex.IntList ids, ViewIndex.Dictionary dictionary, String lowerCase) {
    for (int i = 0; i < ids.size; i++) {
      if (dictionary.lowerCase(ids.values[i]).contains(lowerCase)) {
        return true;
      }
    }
    return false;
  }
}
