package io.github.otlpfile.cli.view;

import com.google.protobuf.ByteString;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the page lists, kept in memory without the data itself: per trace a summary (times, counts,
 * the names and services it holds) and the records (file and position) its spans and logs are in;
 * per metric stream its description and records; the records of logs. A trace's spans, a metric's
 * points and the logs are read again from the files when they are asked for.
 *
 * <p>{@link #refresh()} reads what is new: files not seen yet, and the records a growing file added
 * since the last pass (a file the exporter compressed keeps its place, since positions are of the
 * uncompressed content). A file that disappeared (retention) makes the next pass start over.
 *
 * <p>Thread-safe: one refresh at a time; queries see the records applied so far.
 */
final class ViewIndex {
  static final String SERVICE_NAME = "service.name";
  private static final int MAX_PROBLEMS_PER_FILE = 20;

  private final List<Path> roots;
  private final Object refreshLock = new Object();
  private final Object lock = new Object();

  // All guarded by lock.
  private final List<IndexedFile> files = new ArrayList<>();
  private final Map<String, IndexedFile> filesByKey = new HashMap<>();
  private int[] recordFile = new int[256];
  private long[] recordPosition = new long[256];
  private int recordCount;
  private final Map<String, TraceSummary> traces = new HashMap<>();
  private final Dictionary names = new Dictionary();
  private final Dictionary services = new Dictionary();
  private final Map<String, MetricSummary> metrics = new LinkedHashMap<>();
  private final List<MetricSummary> metricList = new ArrayList<>();
  private IntList logRecords = new IntList();
  private long spanCount;
  private long traceCount;
  private long logCount;
  private long pointCount;
  private long generation;
  private boolean indexing;
  private long lastPassNanos;

  ViewIndex(List<Path> roots) {
    this.roots = Collections.unmodifiableList(new ArrayList<>(roots));
  }

  /** Reads what is new in the files; returns whether anything changed. */
  boolean refresh() {
    synchronized (refreshLock) {
      long started = System.nanoTime();
      List<Path> found = ViewFiles.list(roots);
      Map<String, Path> byKey = new LinkedHashMap<>();
      for (Path file : found) {
        // Both a file and its compressed copy exist for a moment; either holds the same content.
        byKey.putIfAbsent(ViewFiles.keyOf(file), file);
      }
      boolean changed = false;
      synchronized (lock) {
        indexing = true;
        if (!byKey.keySet().containsAll(filesByKey.keySet())) {
          clear();
          changed = true;
        }
      }
      try {
        for (Map.Entry<String, Path> entry : byKey.entrySet()) {
          changed |= readNew(entry.getKey(), entry.getValue());
        }
      } finally {
        synchronized (lock) {
          indexing = false;
          lastPassNanos = System.nanoTime() - started;
          if (changed) {
            generation++;
          }
        }
      }
      return changed;
    }
  }

  private boolean readNew(String key, Path path) {
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      return false;
    }
    IndexedFile file;
    synchronized (lock) {
      file = filesByKey.get(key);
      if (file == null) {
        file = new IndexedFile(files.size(), key, path);
        files.add(file);
        filesByKey.put(key, file);
      } else if (file.path.equals(path) && file.size == size) {
        return false;
      }
      file.path = path;
      file.size = size;
    }
    long skipUpTo = file.lastPosition;
    List<String> problems = new ArrayList<>();
    boolean changed = false;
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setMaxProblems(MAX_PROBLEMS_PER_FILE).open(path)) {
      for (OtlpRecord record : reader) {
        if (record.getPosition() <= skipUpTo) {
          continue;
        }
        synchronized (lock) {
          apply(file, record);
        }
        changed = true;
      }
      for (OtlpFileProblem problem : reader.getProblems()) {
        problems.add(problem.toString());
      }
    }
    synchronized (lock) {
      file.problems = problems;
    }
    return changed;
  }

  private void clear() {
    files.clear();
    filesByKey.clear();
    recordCount = 0;
    traces.clear();
    metrics.clear();
    metricList.clear();
    logRecords = new IntList();
    spanCount = 0;
    traceCount = 0;
    logCount = 0;
    pointCount = 0;
  }

  // Called with lock held.
  private void apply(IndexedFile file, OtlpRecord record) {
    int index = addRecord(file.id, record.getPosition());
    file.lastPosition = record.getPosition();
    switch (record.getSignal()) {
      case TRACES:
        file.traces = true;
        for (ResourceSpans resource : record.getTraceRequest().getResourceSpansList()) {
          int service = services.id(serviceOf(resource.getResource()));
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            for (Span span : scope.getSpansList()) {
              spanCount++;
              String traceId = hex(span.getTraceId());
              TraceSummary trace = traces.get(traceId);
              if (trace == null) {
                trace = new TraceSummary(traceId);
                traces.put(traceId, trace);
              }
              if (trace.spanCount == 0) {
                traceCount++;
              }
              trace.addSpan(span, service, names.id(span.getName()), index);
            }
          }
        }
        break;
      case LOGS:
        file.logs = true;
        logRecords.addDistinctLast(index);
        for (ResourceLogs resource : record.getLogsRequest().getResourceLogsList()) {
          for (ScopeLogs scope : resource.getScopeLogsList()) {
            for (LogRecord log : scope.getLogRecordsList()) {
              logCount++;
              if (!log.getTraceId().isEmpty()) {
                String traceId = hex(log.getTraceId());
                TraceSummary trace = traces.get(traceId);
                if (trace == null) {
                  trace = new TraceSummary(traceId);
                  traces.put(traceId, trace);
                }
                trace.logCount++;
                trace.logRecords.addDistinctLast(index);
              }
            }
          }
        }
        break;
      case METRICS:
        file.metrics = true;
        for (ResourceMetrics resource : record.getMetricsRequest().getResourceMetricsList()) {
          String service = serviceOf(resource.getResource());
          for (ScopeMetrics scope : resource.getScopeMetricsList()) {
            for (Metric metric : scope.getMetricsList()) {
              String key =
                  MetricSummary.keyOf(
                      service, scope.getScope().getName(), metric, metricType(metric));
              MetricSummary summary = metrics.get(key);
              if (summary == null) {
                summary =
                    new MetricSummary(
                        metricList.size(), key, service, scope.getScope().getName(), metric);
                metrics.put(key, summary);
                metricList.add(summary);
              }
              pointCount += summary.add(metric, index);
            }
          }
        }
        break;
      default:
        break;
    }
  }

  private int addRecord(int fileId, long position) {
    if (recordCount == recordFile.length) {
      recordFile = Arrays.copyOf(recordFile, recordCount * 2);
      recordPosition = Arrays.copyOf(recordPosition, recordCount * 2);
    }
    recordFile[recordCount] = fileId;
    recordPosition[recordCount] = position;
    return recordCount++;
  }

  // ---- queries ----

  /** Counts and problems of the folder, for the page's header. */
  Stats stats() {
    synchronized (lock) {
      Stats stats = new Stats();
      stats.files = files.size();
      stats.records = recordCount;
      stats.spans = spanCount;
      stats.logs = logCount;
      stats.points = pointCount;
      stats.metrics = metricList.size();
      stats.generation = generation;
      stats.indexing = indexing;
      stats.lastPassMillis = lastPassNanos / 1_000_000;
      stats.traces = traceCount;
      for (IndexedFile file : files) {
        stats.problems.addAll(file.problems);
      }
      return stats;
    }
  }

  /**
   * The traces that pass {@code filter} (all but its attribute test), newest (or longest) first:
   * the total and the rows from {@code offset}, at most {@code limit}. With an attribute filter,
   * which reads the records, every matching row comes back, with its records.
   */
  TracePage traces(TraceFilter filter, int offset, int limit) {
    synchronized (lock) {
      List<TraceSummary> matching = new ArrayList<>();
      for (TraceSummary trace : traces.values()) {
        if (trace.spanCount > 0 && filter.accepts(trace, names, services)) {
          matching.add(trace);
        }
      }
      Comparator<TraceSummary> order =
          "duration".equals(filter.sort)
              ? Comparator.comparingLong((TraceSummary t) -> t.startNanos - t.endNanos)
              : Comparator.comparingLong((TraceSummary t) -> -t.startNanos);
      Comparator<TraceSummary> stable = order.thenComparing(t -> t.traceId);
      boolean all = filter.hasAttribute();
      long wanted = (long) offset + limit;
      if (!all && wanted < matching.size() / 4) {
        // The first pages of a long list: keep the best offset + limit, not a sort of all.
        PriorityQueue<TraceSummary> best = new PriorityQueue<>((int) wanted + 1, stable.reversed());
        for (TraceSummary trace : matching) {
          best.add(trace);
          if (best.size() > wanted) {
            best.poll();
          }
        }
        int total = matching.size();
        matching = new ArrayList<>(best);
        matching.sort(stable);
        List<TraceRow> rows = new ArrayList<>();
        for (TraceSummary trace :
            matching.subList(Math.min(offset, matching.size()), matching.size())) {
          rows.add(new TraceRow(trace, names, services, Collections.<RecordRef>emptyList()));
        }
        return new TracePage(total, rows);
      }
      matching.sort(stable);
      int from = all ? 0 : Math.min(offset, matching.size());
      int to = all ? matching.size() : Math.min(matching.size(), offset + limit);
      List<TraceRow> rows = new ArrayList<>(to - from);
      for (TraceSummary trace : matching.subList(from, to)) {
        // Only the attribute filter reads records; the plain list needs none of them.
        List<RecordRef> records = all ? refsOf(trace.records) : Collections.<RecordRef>emptyList();
        rows.add(new TraceRow(trace, names, services, records));
      }
      return new TracePage(matching.size(), rows);
    }
  }

  /** A page of the trace list. Immutable. */
  static final class TracePage {
    final int total;
    final List<TraceRow> rows;

    TracePage(int total, List<TraceRow> rows) {
      this.total = total;
      this.rows = rows;
    }
  }

  /** The services and span names seen, for the filters' suggestions. */
  List<String> serviceNames() {
    synchronized (lock) {
      return services.sorted();
    }
  }

  List<String> spanNames() {
    synchronized (lock) {
      return names.sorted();
    }
  }

  /** The records holding a trace's spans and its logs, or {@code null} for an unknown trace. */
  TraceRefs traceRefs(String traceId) {
    synchronized (lock) {
      TraceSummary trace = traces.get(traceId);
      if (trace == null) {
        return null;
      }
      return new TraceRefs(
          trace.spanCount, trace.logCount, refsOf(trace.records), refsOf(trace.logRecords));
    }
  }

  /** The records holding logs, in file order. */
  List<RecordRef> logRefs() {
    synchronized (lock) {
      return refsOf(logRecords);
    }
  }

  List<MetricSummary.Row> metrics() {
    synchronized (lock) {
      List<MetricSummary.Row> rows = new ArrayList<>();
      for (MetricSummary metric : metricList) {
        rows.add(metric.row());
      }
      return rows;
    }
  }

  /** A metric's description and records, or {@code null} for an unknown id. */
  MetricRefs metric(int id) {
    synchronized (lock) {
      if (id < 0 || id >= metricList.size()) {
        return null;
      }
      MetricSummary metric = metricList.get(id);
      return new MetricRefs(metric.row(), metric.key, refsOf(metric.records));
    }
  }

  // Called with lock held.
  private List<RecordRef> refsOf(IntList records) {
    List<RecordRef> refs = new ArrayList<>(records.size);
    for (int i = 0; i < records.size; i++) {
      int record = records.values[i];
      IndexedFile file = files.get(recordFile[record]);
      refs.add(new RecordRef(file.path, recordPosition[record]));
    }
    return refs;
  }

  /**
   * Reads the records {@code refs} names, in their order, file by file: each file is read from its
   * start to the last wanted position (the reader streams; earlier records are parsed and dropped).
   */
  static void read(List<RecordRef> refs, Consumer<OtlpRecord> consumer) {
    Map<Path, Set<Long>> byFile = new LinkedHashMap<>();
    for (RecordRef ref : refs) {
      byFile.computeIfAbsent(ref.file, f -> new HashSet<>()).add(ref.position);
    }
    for (Map.Entry<Path, Set<Long>> entry : byFile.entrySet()) {
      Set<Long> wanted = entry.getValue();
      long last = Collections.max(wanted);
      try (OtlpFileReader reader = OtlpFileReader.open(ViewFiles.current(entry.getKey()))) {
        for (OtlpRecord record : reader) {
          if (wanted.contains(record.getPosition())) {
            consumer.accept(record);
          }
          if (record.getPosition() >= last) {
            break;
          }
        }
      }
    }
  }

  static String serviceOf(Resource resource) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals(SERVICE_NAME)
          && attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        return attribute.getValue().getStringValue();
      }
    }
    return "";
  }

  static String metricType(Metric metric) {
    switch (metric.getDataCase()) {
      case GAUGE:
        return "gauge";
      case SUM:
        return "sum";
      case HISTOGRAM:
        return "histogram";
      case EXPONENTIAL_HISTOGRAM:
        return "exponential_histogram";
      case SUMMARY:
        return "summary";
      default:
        return "none";
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(ByteString bytes) {
    char[] chars = new char[bytes.size() * 2];
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      chars[2 * i] = HEX[b >>> 4];
      chars[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(chars);
  }

  // ---- the pieces ----

  /** One file read into the index. Guarded by the index's lock. */
  private static final class IndexedFile {
    final int id;
    final String key;
    Path path;
    long size = -1;
    long lastPosition = -1;
    boolean traces;
    boolean logs;
    boolean metrics;
    List<String> problems = Collections.emptyList();

    IndexedFile(int id, String key, Path path) {
      this.id = id;
      this.key = key;
      this.path = path;
    }
  }

  /** Where a record is: its file (as last seen) and its position there. Immutable. */
  static final class RecordRef {
    final Path file;
    final long position;

    RecordRef(Path file, long position) {
      this.file = file;
      this.position = position;
    }
  }

  /** The summary of one trace: about 550 bytes with its map entry and id (measured). */
  static final class TraceSummary {
    final String traceId;
    long startNanos = Long.MAX_VALUE;
    long endNanos = Long.MIN_VALUE;
    int spanCount;
    int errorCount;
    int logCount;
    int rootName = -1;
    int rootService = -1;
    long rootStart = Long.MAX_VALUE;
    int firstName = -1;
    int firstService = -1;
    final IntList nameIds = new IntList();
    final IntList serviceIds = new IntList();
    final IntList records = new IntList();
    final IntList logRecords = new IntList();

    TraceSummary(String traceId) {
      this.traceId = traceId;
    }

    void addSpan(Span span, int service, int name, int record) {
      spanCount++;
      if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
        errorCount++;
      }
      long start = span.getStartTimeUnixNano();
      if (start < startNanos) {
        startNanos = start;
        firstName = name;
        firstService = service;
      }
      endNanos = Math.max(endNanos, Math.max(start, span.getEndTimeUnixNano()));
      if (span.getParentSpanId().isEmpty() && start < rootStart) {
        rootStart = start;
        rootName = name;
        rootService = service;
      }
      nameIds.addDistinct(name);
      serviceIds.addDistinct(service);
      records.addDistinctLast(record);
    }
  }

  /** One trace as a row of the list, copied out of the index. Immutable. */
  static final class TraceRow {
    final String traceId;
    final String service;
    final String name;
    final boolean rootMissing;
    final long startNanos;
    final long endNanos;
    final int spanCount;
    final int errorCount;
    final int logCount;
    final List<String> services;
    final List<RecordRef> records;

    TraceRow(TraceSummary trace, Dictionary names, Dictionary services, List<RecordRef> records) {
      this.traceId = trace.traceId;
      this.rootMissing = trace.rootName < 0;
      this.service = services.value(rootMissing ? trace.firstService : trace.rootService);
      this.name = names.value(rootMissing ? trace.firstName : trace.rootName);
      this.startNanos = trace.startNanos;
      this.endNanos = trace.endNanos;
      this.spanCount = trace.spanCount;
      this.errorCount = trace.errorCount;
      this.logCount = trace.logCount;
      List<String> all = new ArrayList<>();
      for (int i = 0; i < trace.serviceIds.size; i++) {
        all.add(services.value(trace.serviceIds.values[i]));
      }
      Collections.sort(all);
      this.services = all;
      this.records = records;
    }

    long durationNanos() {
      return endNanos - startNanos;
    }
  }

  /** The records of one trace, copied out of the index. Immutable. */
  static final class TraceRefs {
    final int spanCount;
    final int logCount;
    final List<RecordRef> spans;
    final List<RecordRef> logs;

    TraceRefs(int spanCount, int logCount, List<RecordRef> spans, List<RecordRef> logs) {
      this.spanCount = spanCount;
      this.logCount = logCount;
      this.spans = spans;
      this.logs = logs;
    }
  }

  /** One metric stream's row and records, copied out of the index. Immutable. */
  static final class MetricRefs {
    final MetricSummary.Row row;
    final String key;
    final List<RecordRef> records;

    MetricRefs(MetricSummary.Row row, String key, List<RecordRef> records) {
      this.row = row;
      this.key = key;
      this.records = records;
    }
  }

  /** The folder's counts. */
  static final class Stats {
    int files;
    int records;
    long spans;
    long traces;
    long logs;
    long points;
    int metrics;
    long generation;
    boolean indexing;
    long lastPassMillis;
    final List<String> problems = new ArrayList<>();
  }

  /** Strings kept once, named by a small number. Not thread-safe. */
  static final class Dictionary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    private final List<String> lowerCase = new ArrayList<>();

    int id(String value) {
      Integer id = ids.get(value);
      if (id == null) {
        id = values.size();
        ids.put(value, id);
        values.add(value);
        lowerCase.add(value.toLowerCase(java.util.Locale.ROOT));
      }
      return id;
    }

    /** The value in lower case, for case-insensitive filters. */
    String lowerCase(int id) {
      return id < 0 ? "" : lowerCase.get(id);
    }

    String value(int id) {
      return id < 0 ? "" : values.get(id);
    }

    int size() {
      return values.size();
    }

    List<String> sorted() {
      List<String> copy = new ArrayList<>(new TreeMap<String, Integer>(ids).keySet());
      copy.remove("");
      return copy;
    }
  }

  /** A growable array of ints. Not thread-safe. */
  static final class IntList {
    static final int MAX_DISTINCT = 64;
    int[] values = new int[2];
    int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    /** Adds unless the last value is the same (records arrive in order). */
    void addDistinctLast(int value) {
      if (size == 0 || values[size - 1] != value) {
        add(value);
      }
    }

    /**
     * Adds unless present, up to {@link #MAX_DISTINCT} values: for the names and services of a
     * trace, which are few; a trace of more distinct names is found by its first ones.
     */
    void addDistinct(int value) {
      if (contains(value) || size >= MAX_DISTINCT) {
        return;
      }
      add(value);
    }

    boolean contains(int value) {
      for (int i = 0; i < size; i++) {
        if (values[i] == value) {
          return true;
        }
      }
      return false;
    }
  }
}
