package io.github.otlpfile.cli.view;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of a trace in waterfall order: each parent before its children, siblings by start time,
 * each with its depth. A span whose parent is not in the trace starts a tree of its own, marked
 * {@code parentMissing}; spans only reachable through a cycle of parent ids start one at the
 * earliest of them, marked {@code cycle}. Every span appears once, whatever the ids say.
 *
 * <p>Immutable after construction.
 */
final class TraceTree {
  final int[] order;
  final int[] depth;
  final int[] childCount;
  final boolean[] parentMissing;
  final boolean[] cycle;
  int missingParents;
  int cycles;

  TraceTree(List<Span> spans) {
    int n = spans.size();
    order = new int[n];
    depth = new int[n];
    childCount = new int[n];
    parentMissing = new boolean[n];
    cycle = new boolean[n];
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byId.putIfAbsent(ViewIndex.hex(spans.get(i).getSpanId()), i);
    }
    List<List<Integer>> children = new ArrayList<>(n);
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      children.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      Span span = spans.get(i);
      if (span.getParentSpanId().isEmpty()) {
        roots.add(i);
        continue;
      }
      Integer parent = byId.get(ViewIndex.hex(span.getParentSpanId()));
      if (parent == null) {
        roots.add(i);
        parentMissing[i] = true;
        missingParents++;
      } else {
        children.get(parent).add(i);
        childCount[parent]++;
      }
    }
    Comparator<Integer> byStart =
        Comparator.comparingLong((Integer i) -> spans.get(i).getStartTimeUnixNano())
            .thenComparing(i -> i);
    roots.sort(byStart);
    for (List<Integer> list : children) {
      list.sort(byStart);
    }
    boolean[] visited = new boolean[n];
    int[] next = {0};
    for (int root : roots) {
      walk(root, children, visited, next);
    }
    if (next[0] < n) {
      // What is left hangs off a cycle: start at the earliest unvisited span, again and again.
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!visited[i]) {
          rest.add(i);
        }
      }
      rest.sort(byStart);
      for (int i : rest) {
        if (!visited[i]) {
          cycle[i] = true;
          cycles++;
          walk(i, children, visited, next);
        }
      }
    }
  }

  private void walk(int root, List<List<Integer>> children, boolean[] visited, int[] next) {
    // Iterative depth-first walk: a trace may nest thousands deep.
    Deque<int[]> stack = new ArrayDeque<>();
    stack.push(new int[] {root, 0});
    while (!stack.isEmpty()) {
      int[] top = stack.pop();
      int span = top[0];
      if (visited[span]) {
        continue;
      }
      visited[span] = true;
      order[next[0]++] = span;
      depth[span] = top[1];
      List<Integer> kids = children.get(span);
      for (int k = kids.size() - 1; k >= 0; k--) {
        if (!visited[kids.get(k)]) {
          stack.push(new int[] {kids.get(k), top[1] + 1});
        }
      }
    }
  }
}
