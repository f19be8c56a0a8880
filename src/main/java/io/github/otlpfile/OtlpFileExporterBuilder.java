package io.github.otlpfile;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.FileSettingsBuilder;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.forward.ForwardDelegate;
import io.github.otlpfile.internal.forward.ForwardEndpoint;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.ForwardSettingsBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The settings all three OTLP file exporters share. Obtain a builder from {@link
 * OtlpFileSpanExporter#builder()}, {@link OtlpFileMetricExporter#builder()} or {@link
 * OtlpFileLogRecordExporter#builder()}.
 *
 * <p>Setters check for {@code null} at once; value ranges and combinations are checked by {@code
 * build()}, which throws {@link IllegalArgumentException} naming the setting and the value.
 *
 * <p>Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class OtlpFileExporterBuilder<B extends OtlpFileExporterBuilder<B>> {
  /** The default directory, relative to the working directory: {@code otlp-files}. */
  public static final Path DEFAULT_DIRECTORY = Paths.get("otlp-files");

  /** The default format: {@link OtlpFileFormat#JSON_LINES}, readable by people and tools. */
  public static final OtlpFileFormat DEFAULT_FORMAT = OtlpFileFormat.JSON_LINES;

  /** The default buffer capacity per exporter: 64 MiB, about 100 batches of 512 JSON spans. */
  public static final long DEFAULT_BUFFER_CAPACITY_BYTES = 64L * 1024 * 1024;

  /** The default overflow policy: {@link OverflowPolicy#DROP}, the application never waits. */
  public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP;

  /**
   * The default file size limit: 64 MiB, small enough to copy and inspect, large enough to be few.
   */
  public static final long DEFAULT_MAX_FILE_SIZE_BYTES = 64L * 1024 * 1024;

  /** The default file age limit: one hour, so that quiet services still close files regularly. */
  public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofHours(1);

  /**
   * The default limit on files per signal folder: 500. With the other defaults the size and age
   * limits bind first (a quiet service that closes a file an hour creates 168 in {@link
   * #DEFAULT_MAX_AGE}); this limit is there for small file sizes, where it keeps the folder listing
   * that retention reads short.
   */
  public static final int DEFAULT_MAX_FILES = 500;

  /**
   * The default limit on the total size of a signal folder: 1 GiB, sixteen files of the default
   * size; at most 3 GiB for all three signals, which a small edge device can spare. Compressed
   * files count with their compressed size, so they hold several times more data.
   */
  public static final long DEFAULT_MAX_TOTAL_SIZE_BYTES = 1024L * 1024 * 1024;

  /**
   * The default age limit of files: 7 days, long enough to replay data after a backend outage that
   * lasted a long weekend.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  /**
   * The default compression: {@link Compression#NONE}, so that closed files stay readable with any
   * text tool and no CPU is spent; choose {@link Compression#GZIP} to keep several times more data
   * in the same space.
   */
  public static final Compression DEFAULT_COMPRESSION = Compression.NONE;

  /** The default durability: {@link Durability#ON_ROTATE}, one fsync per file. */
  public static final Durability DEFAULT_DURABILITY = Durability.ON_ROTATE;

  private final Signal signal;
  // The file settings, shared with the receiver's builder; the setters below delegate to it.
  private final FileSettingsBuilder files = new FileSettingsBuilder();

  OtlpFileExporterBuilder(Signal signal) {
    this.signal = signal;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets the directory that holds the {@code traces/}, {@code metrics/} and {@code logs/} folders.
   * It is created if missing. If unset, defaults to {@link #DEFAULT_DIRECTORY}.
   */
  public B setDirectory(Path directory) {
    files.setDirectory(requireNonNull(directory, "directory"));
    return self();
  }

  /** Sets the file format. If unset, defaults to {@link #DEFAULT_FORMAT}. */
  public B setFormat(OtlpFileFormat format) {
    files.setFormat(requireNonNull(format, "format"));
    return self();
  }

  /**
   * Sets how many bytes of encoded batches may wait in memory for the writer. A batch larger than
   * the whole capacity is dropped. If unset, defaults to {@link #DEFAULT_BUFFER_CAPACITY_BYTES}.
   */
  public B setBufferCapacity(long bytes) {
    files.setBufferCapacity(bytes);
    return self();
  }

  /**
   * Sets what an export does when the buffer is full. If unset, defaults to {@link
   * #DEFAULT_OVERFLOW_POLICY}.
   */
  public B setOverflowPolicy(OverflowPolicy overflowPolicy) {
    files.setOverflowPolicy(requireNonNull(overflowPolicy, "overflowPolicy"));
    return self();
  }

  /**
   * Sets the size at which a file is closed and the next one started. A record is never split: a
   * file is closed before a record that would take it past the limit, and a record larger than the
   * limit gets a file of its own. If unset, defaults to {@link #DEFAULT_MAX_FILE_SIZE_BYTES}.
   */
  public B setMaxFileSize(long bytes) {
    files.setMaxFileSize(bytes);
    return self();
  }

  /**
   * Sets the age at which a file is closed, even when no more data arrives. If unset, defaults to
   * {@link #DEFAULT_MAX_FILE_AGE}.
   */
  public B setMaxFileAge(Duration maxFileAge) {
    files.setMaxFileAge(requireNonNull(maxFileAge, "maxFileAge"));
    return self();
  }

  /**
   * Sets how many files a signal folder may hold, the one being written included. When a file is
   * closed, and periodically, the oldest closed files are deleted until the folder is within this
   * limit; files that any writer, in this process or another, still has open are never deleted.
   * Files left by earlier runs count too. Use {@link Integer#MAX_VALUE} for no limit. If unset,
   * defaults to {@link #DEFAULT_MAX_FILES}.
   */
  public B setMaxFiles(int maxFiles) {
    files.setMaxFiles(maxFiles);
    return self();
  }

  /**
   * Sets how many bytes the files of a signal folder may take in all, the one being written
   * included, compressed files with their compressed size. The oldest closed files are deleted to
   * stay within it, as for {@link #setMaxFiles(int)}. Must be at least the {@linkplain
   * #setMaxFileSize(long) file size limit}. Use {@link Long#MAX_VALUE} for no limit. If unset,
   * defaults to {@link #DEFAULT_MAX_TOTAL_SIZE_BYTES}.
   */
  public B setMaxTotalSize(long bytes) {
    files.setMaxTotalSize(bytes);
    return self();
  }

  /**
   * Sets how long closed files are kept, counted from their last write, so that no record is
   * deleted before it is this old. Checked when a file is closed and every 10 seconds. If unset,
   * defaults to {@link #DEFAULT_MAX_AGE}.
   */
  public B setMaxAge(Duration maxAge) {
    files.setMaxAge(requireNonNull(maxAge, "maxAge"));
    return self();
  }

  /**
   * Sets the compression applied to each file once it is closed. Compression runs in the background
   * and never delays an export; the file being written is always plain. If unset, defaults to
   * {@link #DEFAULT_COMPRESSION}.
   */
  public B setCompression(Compression compression) {
    files.setCompression(requireNonNull(compression, "compression"));
    return self();
  }

  /** Sets how far writes are forced to disk. If unset, defaults to {@link #DEFAULT_DURABILITY}. */
  public B setDurability(Durability durability) {
    files.setDurability(requireNonNull(durability, "durability"));
    return self();
  }

  /**
   * Sets the clock that names files and times rotation and the circuit breaker. Meant for tests. If
   * unset, defaults to {@link Clock#getDefault()}.
   */
  public B setClock(Clock clock) {
    files.setClock(requireNonNull(clock, "clock"));
    return self();
  }

  /**
   * Sets a {@link MeterProvider} on which the exporter publishes its counters (items exported,
   * dropped, failed and forwarded, bytes and files written). If unset, nothing is published.
   */
  public B setMeterProvider(MeterProvider meterProvider) {
    files.setMeterProvider(requireNonNull(meterProvider, "meterProvider"));
    return self();
  }

  /** Validates every setting and prepares the signal's folder; throws if anything is wrong. */
  ExporterSettings buildSettings() {
    return files.build(signal);
  }

  // Forwarding to a remote OTLP endpoint; see docs/FORWARDING.md.

  /** The default time a forwarded batch may take before it counts as failed: 30 seconds. */
  public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(30);

  /** The default number of batches one exporter forwards at the same time: {@value}. */
  public static final int DEFAULT_FORWARD_MAX_IN_FLIGHT = 4;

  /** The default pace of forwarding catch-up: {@value} items (spans, points, records) a second. */
  public static final long DEFAULT_FORWARD_CATCH_UP_RATE = 10_000;

  private final ForwardSettingsBuilder forward = new ForwardSettingsBuilder();

  /**
   * Forwards every batch, after it is written to the local file, to an OTLP/HTTP endpoint such as a
   * Collector, through an exporter of {@code io.opentelemetry:opentelemetry-exporter-otlp}, which
   * must be on the class path ({@code build()} fails otherwise). The URL is a base URL, as in
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the signal's path ({@code /v1/traces}, {@code
   * /v1/metrics}, {@code /v1/logs}) is appended, so one URL serves all three exporters, for example
   * {@code http://localhost:4318}. A URL that already ends with the signal's path is used as it is.
   * The exporter uses the forward timeout ({@link #setForwardTimeout}), the headers ({@link
   * #setForwardHeaders}) and the OpenTelemetry defaults for retries and compression; for TLS, gRPC
   * or other options pass a configured exporter to {@code setForwardTo} instead. Cannot be combined
   * with {@code setForwardTo}. If unset, nothing is forwarded.
   */
  public B setForwardEndpoint(String url) {
    forward.setEndpoint(requireNonNull(url, "forwardEndpoint"));
    return self();
  }

  /**
   * Sets HTTP headers sent with every request to the {@link #setForwardEndpoint forward endpoint},
   * for example an {@code Authorization} header. Their values never appear in {@code toString()} or
   * logs. Only valid together with {@link #setForwardEndpoint}. If unset, no headers are sent.
   */
  public B setForwardHeaders(Map<String, String> headers) {
    forward.setHeaders(requireNonNull(headers, "forwardHeaders"));
    return self();
  }

  /**
   * Sets how long a forwarded batch may take, retries included, before it counts as failed for the
   * circuit breaker; a delegate that never answers cannot hold a batch longer. It is also the
   * timeout of the exporter built by {@link #setForwardEndpoint}. If unset, defaults to {@link
   * #DEFAULT_FORWARD_TIMEOUT}.
   */
  public B setForwardTimeout(Duration timeout) {
    forward.setTimeout(requireNonNull(timeout, "forwardTimeout"));
    return self();
  }

  /**
   * Sets how many batches this exporter may be forwarding at the same time. A batch written while
   * all are busy is not forwarded and is counted in {@link ExporterStats#getForwardSkippedItems()};
   * it stays in the local file. If unset, defaults to {@link #DEFAULT_FORWARD_MAX_IN_FLIGHT}.
   */
  public B setForwardMaxInFlight(int batches) {
    forward.setMaxInFlight(batches);
    return self();
  }

  /**
   * Sets the circuit breaker in front of the forwarding target: after {@link
   * CircuitBreakerConfig#getFailureThreshold()} consecutive failed batches it opens, and batches
   * are not forwarded (but still written locally) until one probe batch succeeds after {@link
   * CircuitBreakerConfig#getOpenDuration()}. Its time comes from {@link #setClock}. If unset,
   * defaults to {@link CircuitBreakerConfig#getDefault()}.
   */
  public B setCircuitBreaker(CircuitBreakerConfig circuitBreaker) {
    forward.setCircuitBreaker(requireNonNull(circuitBreaker, "circuitBreaker"));
    return self();
  }

  /**
   * Sets whether what forwarding did not deliver (because of an outage, a full forwarding pipeline
   * or a restart) is sent later from the local files, oldest first: the files are then a durable
   * queue, with a checkpoint beside them recording what was delivered. See docs/FORWARDING.md.
   * Needs {@code com.google.protobuf:protobuf-java} and {@code
   * io.opentelemetry.proto:opentelemetry-proto} to read the files back. If unset, catch-up is on
   * whenever forwarding is configured and those libraries are on the class path.
   */
  public B setForwardCatchUp(boolean catchUp) {
    forward.setCatchUp(catchUp);
    return self();
  }

  /**
   * Sets how many items (spans, metric data points or log records) a second catch-up sends at most,
   * so that live forwarding keeps its latency. If unset, defaults to {@link
   * #DEFAULT_FORWARD_CATCH_UP_RATE}.
   */
  public B setForwardCatchUpRate(long itemsPerSecond) {
    forward.setCatchUpRate(itemsPerSecond);
    return self();
  }

  /**
   * Validates the forwarding settings and returns them, or {@code null} when nothing is forwarded.
   * Creates no delegate: the exporter does, once everything else has been built.
   *
   * @param forwardTo the delegate given to {@code setForwardTo}, or {@code null}
   * @param otlpHttp builds the OTLP/HTTP delegate for {@link #setForwardEndpoint}
   * @param snapshot copies a batch inside {@code export()} for later forwarding
   */
  <T> ForwardSettings<T> buildForwardSettings(
      ForwardDelegate<T> forwardTo,
      ForwardEndpoint.DelegateFactory<T> otlpHttp,
      UnaryOperator<Collection<T>> snapshot) {
    return forward.build(signal, forwardTo, otlpHttp, snapshot, files.getMeterProvider());
  }
}
