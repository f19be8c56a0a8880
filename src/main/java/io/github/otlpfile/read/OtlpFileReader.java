package io.github.otlpfile.read;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads OTLP files back: JSON lines ({@code .jsonl}, also {@code .json} and {@code .ndjson}) and
 * binary protobuf ({@code .binpb}, also {@code .pb}), plain or gzip-compressed, written by this
 * library's exporters, the OpenTelemetry Collector or any other OTLP tool.
 *
 * <pre>{@code
 * try (OtlpFileReader reader = OtlpFileReader.open(Paths.get("otlp-files"))) {
 *   for (OtlpRecord record : reader) {
 *     for (SpanData span : record.getSpans()) { ... }
 *   }
 *   reader.getProblems().forEach(System.err::println);
 * }
 * }</pre>
 *
 * <p>Folders are read recursively, entries in file-name order (the exporters' names sort by
 * creation time); hidden entries, symbolic links inside folders and files of other types are left
 * out. A file named {@code traces-*}, {@code metrics-*} or {@code logs-*}, or in a folder named
 * {@code traces}, {@code metrics} or {@code logs}, holds that signal; elsewhere each record's
 * content tells it.
 *
 * <p>The reader streams: it holds one record at a time, so its memory is bounded by the largest
 * record whatever the size of the folder. By default it is lenient: damage is recorded as an {@link
 * OtlpFileProblem} (see {@link #getProblems()}) and reading goes on with the next record; a
 * {@linkplain Builder#setStrict strict} reader throws {@link OtlpFileException} at the first damage
 * instead. Nothing else is thrown for any content.
 *
 * <p>A reader is iterated once. Not thread-safe: iterate it from one thread; {@link #getProblems()}
 * may be called from any thread.
 */
public final class OtlpFileReader implements Iterable<OtlpRecord>, AutoCloseable {
  /**
   * The default largest record: 64 MiB, the request size limit the OTLP/HTTP specification
   * recommends.
   */
  public static final long DEFAULT_MAX_RECORD_BYTES = 64L * 1024 * 1024;

  /** The default number of problems kept by {@link #getProblems()}; all are counted. */
  public static final int DEFAULT_MAX_PROBLEMS = 1000;

  private final FileWalk walk;
  private final boolean strict;
  private final Set<OtlpSignal> signals;
  private final long maxRecordBytes;
  private final int maxProblems;
  private final Consumer<OtlpFileProblem> problemListener;

  private final Object problemLock = new Object();
  // Guarded by problemLock.
  private final List<OtlpFileProblem> problems = new ArrayList<>();
  // Guarded by problemLock.
  private long problemCount;

  private boolean iterated;
  private boolean closed;
  private RecordSource source;
  private OtlpRecord next;
  private long filesRead;
  private long recordsRead;

  private OtlpFileReader(Builder builder) {
    this.walk = new FileWalk(builder.paths, this::report);
    this.strict = builder.strict;
    this.signals = Collections.unmodifiableSet(EnumSet.copyOf(builder.signals));
    this.maxRecordBytes = builder.maxRecordBytes;
    this.maxProblems = builder.maxProblems;
    this.problemListener = builder.problemListener;
  }

  /** A lenient reader of all signals in {@code paths}: files, or folders read recursively. */
  public static OtlpFileReader open(Path... paths) {
    return builder().open(paths);
  }

  /** A builder to set strictness, the signals to read and limits. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * All spans in {@code paths}, in file order. Strict: damage throws {@link OtlpFileException}.
   * Meant for tests and small folders: it holds every span in memory.
   */
  public static List<SpanData> readSpans(Path... paths) {
    return readAll(OtlpSignal.TRACES, OtlpRecord::getSpans, paths);
  }

  /**
   * All metrics in {@code paths}, in file order. Strict: damage throws {@link OtlpFileException}.
   * Meant for tests and small folders: it holds every metric in memory.
   */
  public static List<MetricData> readMetrics(Path... paths) {
    return readAll(OtlpSignal.METRICS, OtlpRecord::getMetrics, paths);
  }

  /**
   * All log records in {@code paths}, in file order. Strict: damage throws {@link
   * OtlpFileException}. Meant for tests and small folders: it holds every log record in memory.
   */
  public static List<LogRecordData> readLogRecords(Path... paths) {
    return readAll(OtlpSignal.LOGS, OtlpRecord::getLogRecords, paths);
  }

  private static <T> List<T> readAll(
      OtlpSignal signal, Function<OtlpRecord, List<T>> itemsOf, Path... paths) {
    List<T> items = new ArrayList<>();
    try (OtlpFileReader reader = builder().setStrict(true).setSignals(signal).open(paths)) {
      for (OtlpRecord record : reader) {
        items.addAll(itemsOf.apply(record));
      }
    }
    return items;
  }

  /**
   * The records, one at a time, reading on as they are asked for.
   *
   * @throws IllegalStateException if the reader was iterated before
   */
  @Override
  public Iterator<OtlpRecord> iterator() {
    if (iterated) {
      throw new IllegalStateException("an OtlpFileReader is iterated once; open a new one");
    }
    iterated = true;
    return new Iterator<OtlpRecord>() {
      @Override
      public boolean hasNext() {
        if (next == null) {
          next = advance();
        }
        return next != null;
      }

      @Override
      public OtlpRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        OtlpRecord record = next;
        next = null;
        return record;
      }
    };
  }

  /** The records as a sequential stream; close the reader (or the stream) when done. */
  public Stream<OtlpRecord> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /**
   * The damage found so far, in the order it was found; at most {@link Builder#setMaxProblems(int)}
   * of them, see {@link #getProblemCount()} for how many there were.
   */
  public List<OtlpFileProblem> getProblems() {
    synchronized (problemLock) {
      return Collections.unmodifiableList(new ArrayList<>(problems));
    }
  }

  /** How many problems were found so far, including those over the kept maximum. */
  public long getProblemCount() {
    synchronized (problemLock) {
      return problemCount;
    }
  }

  /** How many files were opened so far. */
  public long getFilesRead() {
    return filesRead;
  }

  /** How many records were returned so far. */
  public long getRecordsRead() {
    return recordsRead;
  }

  /** Closes the file being read; iteration ends. Idempotent. */
  @Override
  public void close() {
    closed = true;
    next = null;
    closeSource();
  }

  private OtlpRecord advance() {
    while (!closed) {
      if (source == null) {
        source = walk.nextSource(signals, maxRecordBytes);
        if (source == null) {
          return null;
        }
        filesRead++;
      }
      OtlpRecord record = source.next();
      if (record != null) {
        recordsRead++;
        return record;
      }
      closeSource();
    }
    return null;
  }

  private void closeSource() {
    if (source != null) {
      source.close();
      source = null;
    }
  }

  private void report(OtlpFileProblem problem, Throwable cause) {
    synchronized (problemLock) {
      problemCount++;
      if (problems.size() < maxProblems) {
        problems.add(problem);
      }
    }
    if (problemListener != null) {
      problemListener.accept(problem);
    }
    if (strict) {
      close();
      throw new OtlpFileException(problem, cause);
    }
  }

  @Override
  public String toString() {
    return "OtlpFileReader{strict="
        + strict
        + ", signals="
        + signals
        + ", maxRecordBytes="
        + maxRecordBytes
        + ", maxProblems="
        + maxProblems
        + ", filesRead="
        + filesRead
        + ", recordsRead="
        + recordsRead
        + "}";
  }

  /**
   * Builds an {@link OtlpFileReader}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final List<Path> paths = new ArrayList<>();
    private boolean strict;
    private Set<OtlpSignal> signals = EnumSet.allOf(OtlpSignal.class);
    private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private int maxProblems = DEFAULT_MAX_PROBLEMS;
    private Consumer<OtlpFileProblem> problemListener;

    private Builder() {}

    /** Adds files or folders to read, in this order. */
    public Builder addPaths(Path... paths) {
      Objects.requireNonNull(paths, "paths");
      for (Path path : paths) {
        this.paths.add(Objects.requireNonNull(path, "paths contains null"));
      }
      return this;
    }

    /**
     * Whether the first damage throws {@link OtlpFileException} (strict) or is recorded and skipped
     * (lenient). If unset, defaults to lenient.
     */
    public Builder setStrict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Reads only these signals; files that hold others by name are not opened. If unset, defaults
     * to all three.
     */
    public Builder setSignals(OtlpSignal... signals) {
      Objects.requireNonNull(signals, "signals");
      if (signals.length == 0) {
        throw new IllegalArgumentException("signals must name at least one signal");
      }
      Set<OtlpSignal> set = EnumSet.noneOf(OtlpSignal.class);
      for (OtlpSignal signal : signals) {
        set.add(Objects.requireNonNull(signal, "signals contains null"));
      }
      this.signals = set;
      return this;
    }

    /**
     * The largest record, in bytes, that is loaded; a larger one is reported as {@link
     * OtlpFileProblem.Kind#RECORD_TOO_LARGE} and skipped without being allocated. If unset,
     * defaults to {@link #DEFAULT_MAX_RECORD_BYTES} (64 MiB).
     */
    public Builder setMaxRecordBytes(long maxRecordBytes) {
      if (maxRecordBytes <= 0 || maxRecordBytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "maxRecordBytes must be > 0 and < 2 GiB, but was " + maxRecordBytes);
      }
      this.maxRecordBytes = maxRecordBytes;
      return this;
    }

    /**
     * How many problems {@link #getProblems()} keeps; more are counted but not kept. If unset,
     * defaults to {@link #DEFAULT_MAX_PROBLEMS}.
     */
    public Builder setMaxProblems(int maxProblems) {
      if (maxProblems < 0) {
        throw new IllegalArgumentException("maxProblems must be >= 0, but was " + maxProblems);
      }
      this.maxProblems = maxProblems;
      return this;
    }

    /**
     * Called on the reading thread with each problem as it is found, kept or not; for example to
     * print it at once. A strict reader calls it before it throws.
     */
    public Builder setProblemListener(Consumer<OtlpFileProblem> problemListener) {
      this.problemListener = Objects.requireNonNull(problemListener, "problemListener");
      return this;
    }

    /**
     * A reader of the paths added so far.
     *
     * @throws IllegalArgumentException if no path was added
     */
    public OtlpFileReader build() {
      if (paths.isEmpty()) {
        throw new IllegalArgumentException("paths must name at least one file or folder");
      }
      return new OtlpFileReader(this);
    }

    /** Adds {@code paths} and builds the reader. */
    public OtlpFileReader open(Path... paths) {
      return addPaths(paths).build();
    }

    @Override
    public String toString() {
      return "OtlpFileReader.Builder{paths="
          + paths
          + ", strict="
          + strict
          + ", signals="
          + signals
          + ", maxRecordBytes="
          + maxRecordBytes
          + ", maxProblems="
          + maxProblems
          + "}";
    }
  }
}
