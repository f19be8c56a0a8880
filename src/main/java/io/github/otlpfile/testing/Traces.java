package io.github.otlpfile.testing;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Groups spans into traces, the way the trace assertions expect them. Stateless. */
final class Traces {
  private static final Comparator<SpanData> BY_START =
      Comparator.comparingLong(SpanData::getStartEpochNanos).thenComparing(SpanData::getSpanId);

  private Traces() {}

  /**
   * The traces whose root span (a span without a parent) is there, each ordered parent before child
   * and siblings by start time, then spans whose parent is missing by start time; the traces
   * ordered by their root's start time.
   */
  static List<List<SpanData>> withRoot(List<SpanData> spans) {
    Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
    for (SpanData span : spans) {
      byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
    }
    List<List<SpanData>> traces = new ArrayList<>();
    for (List<SpanData> trace : byTrace.values()) {
      List<SpanData> ordered = order(trace);
      if (!ordered.isEmpty()) {
        traces.add(ordered);
      }
    }
    traces.sort(Comparator.comparing(trace -> trace.get(0), BY_START));
    return traces;
  }

  /** The trace in order, or an empty list if it has no root yet. */
  private static List<SpanData> order(List<SpanData> trace) {
    Map<String, List<SpanData>> children = new HashMap<>();
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : trace) {
      if (span.getParentSpanContext().isValid()) {
        children.computeIfAbsent(span.getParentSpanId(), id -> new ArrayList<>()).add(span);
      } else {
        roots.add(span);
      }
    }
    if (roots.isEmpty()) {
      return Collections.emptyList();
    }
    List<SpanData> ordered = new ArrayList<>(trace.size());
    Set<SpanData> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<String> visited = new HashSet<>();
    roots.sort(BY_START);
    Deque<SpanData> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(roots.get(i));
    }
    while (!stack.isEmpty()) {
      SpanData span = stack.pop();
      ordered.add(span);
      seen.add(span);
      // A span id written twice (a sender's retry) has its children listed once.
      if (!visited.add(span.getSpanId())) {
        continue;
      }
      List<SpanData> kids = children.get(span.getSpanId());
      if (kids != null) {
        kids.sort(BY_START);
        for (int i = kids.size() - 1; i >= 0; i--) {
          stack.push(kids.get(i));
        }
      }
    }
    List<SpanData> orphans = new ArrayList<>();
    for (SpanData span : trace) {
      if (!seen.contains(span)) {
        orphans.add(span);
      }
    }
    orphans.sort(BY_START);
    ordered.addAll(orphans);
    return ordered;
  }
}
