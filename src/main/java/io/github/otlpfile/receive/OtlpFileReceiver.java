package io.github.otlpfile.receive;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.FileSettingsBuilder;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.read.ReadAccess;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives OTLP from other processes, over OTLP/HTTP (protobuf and JSON) and OTLP/gRPC, and writes
 * it into the same OTLP files as the exporters: each signal's requests take the same lane, writer
 * thread, rotation, retention and compression as an exported batch, one record per request.
 *
 * <pre>{@code
 * OtlpFileReceiver receiver = OtlpFileReceiver.builder()
 *     .setDirectory(Paths.get("otlp-files")).setHttpPort(0).setGrpcPort(0).build().start();
 * String endpoint = receiver.getHttpEndpoint(); // for example http://127.0.0.1:43121
 * ...
 * receiver.shutdown().join(10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>A request is answered once its record is written to the file, so an accepted request is never
 * lost; when the buffer is full it is refused with HTTP 503 and {@code Retry-After} (gRPC {@code
 * UNAVAILABLE}) so that the sender retries. See {@code docs/RECEIVER.md} for every status.
 *
 * <p>Thread-safe.
 */
public final class OtlpFileReceiver implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(OtlpFileReceiver.class.getName());
  // How long a request waits for its record to be written before it is answered with 503.
  private static final long WRITE_TIMEOUT_MILLIS = 30_000;
  // What Retry-After tells a sender refused for a full buffer.
  private static final long RETRY_AFTER_SECONDS = 1;

  private final ReceiverCounters counters = new ReceiverCounters();
  private final SignalIntake<SpanData> traces;
  private final SignalIntake<MetricData> metrics;
  private final SignalIntake<LogRecordData> logs;
  private final InetAddress address;
  private final int httpPort;
  private final int grpcPort;
  private final long maxRequestBytes;
  private final long readTimeoutMillis;
  private final int maxConcurrentRequests;
  private final RequiredHeader requiredHeader; // null if none
  private final TlsSettings tls; // null for plain text
  private final Set<String> corsOrigins; // empty: CORS off
  private final String settings;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private volatile OtlpHttpIntake http;
  private volatile OtlpGrpcIntake grpc;

  OtlpFileReceiver(
      FileSettingsBuilder files,
      InetAddress address,
      int httpPort,
      int grpcPort,
      long maxRequestBytes,
      long readTimeoutMillis,
      int maxConcurrentRequests,
      RequiredHeader requiredHeader,
      TlsSettings tls,
      Set<String> corsOrigins,
      ForwardSettings<SpanData> forwardSpans,
      ForwardSettings<MetricData> forwardMetrics,
      ForwardSettings<LogRecordData> forwardLogs) {
    this.address = address;
    this.corsOrigins = corsOrigins;
    this.tls = tls;
    this.requiredHeader = requiredHeader;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeoutMillis = readTimeoutMillis;
    this.maxConcurrentRequests = maxConcurrentRequests;
    boolean binary = files.getFormat() == OtlpFileFormat.PROTOBUF;
    ReadAccess read = ReadAccess.get();
    ExporterCore<SpanData> spanCore =
        new ExporterCore<>(
            Signal.TRACES,
            files.build(Signal.TRACES),
            BatchEncoder.forSpans(files.getFormat()),
            Collection::size,
            forwardSpans);
    this.traces =
        new SignalIntake<>(
            OtlpSignal.TRACES,
            spanCore,
            ExportTraceServiceRequest.parser(),
            m -> read.spans((ExportTraceServiceRequest) m),
            Collection::size,
            binary,
            counters,
            WRITE_TIMEOUT_MILLIS);
    ExporterCore<MetricData> metricCore =
        new ExporterCore<>(
            Signal.METRICS,
            files.build(Signal.METRICS),
            BatchEncoder.forMetrics(files.getFormat()),
            OtlpFileReceiver::countPoints,
            forwardMetrics);
    this.metrics =
        new SignalIntake<>(
            OtlpSignal.METRICS,
            metricCore,
            ExportMetricsServiceRequest.parser(),
            m -> read.metrics((ExportMetricsServiceRequest) m),
            OtlpFileReceiver::countPoints,
            binary,
            counters,
            WRITE_TIMEOUT_MILLIS);
    ExporterCore<LogRecordData> logCore =
        new ExporterCore<>(
            Signal.LOGS,
            files.build(Signal.LOGS),
            BatchEncoder.forLogs(files.getFormat()),
            Collection::size,
            forwardLogs);
    this.logs =
        new SignalIntake<>(
            OtlpSignal.LOGS,
            logCore,
            ExportLogsServiceRequest.parser(),
            m -> read.logRecords((ExportLogsServiceRequest) m),
            Collection::size,
            binary,
            counters,
            WRITE_TIMEOUT_MILLIS);
    this.settings =
        spanCore.describeFiles()
            + describeForwarding("traces", forwardSpans)
            + describeForwarding("metrics", forwardMetrics)
            + describeForwarding("logs", forwardLogs);
  }

  private static String describeForwarding(String signal, ForwardSettings<?> forward) {
    return forward == null ? "" : ", " + signal + "={" + forward + "}";
  }

  private static int countPoints(Collection<MetricData> metrics) {
    int points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    return points;
  }

  /** Returns a new builder with the default settings. */
  public static OtlpFileReceiverBuilder builder() {
    return new OtlpFileReceiverBuilder();
  }

  /**
   * Opens the ports and starts receiving.
   *
   * @return this receiver
   * @throws IllegalStateException if already started or shut down
   * @throws UncheckedIOException if a port cannot be opened (nothing stays open then)
   */
  public OtlpFileReceiver start() {
    if (shutdown.get()) {
      throw new IllegalStateException("the receiver is shut down");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the receiver is already started");
    }
    Map<String, SignalIntake<?>> paths = new LinkedHashMap<>();
    paths.put("/v1/traces", traces);
    paths.put("/v1/metrics", metrics);
    paths.put("/v1/logs", logs);
    OtlpHttpIntake httpIntake;
    try {
      httpIntake =
          new OtlpHttpIntake(
              new InetSocketAddress(address, httpPort),
              paths,
              counters,
              maxRequestBytes,
              readTimeoutMillis,
              RETRY_AFTER_SECONDS,
              maxConcurrentRequests,
              requiredHeader,
              tls,
              corsOrigins);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for OTLP/HTTP on " + httpAddress(), e);
    }
    if (grpcPort != -1) {
      OtlpGrpcIntake grpcIntake =
          new OtlpGrpcIntake(
              new InetSocketAddress(address, grpcPort),
              traces,
              metrics,
              logs,
              counters,
              maxRequestBytes,
              maxConcurrentRequests,
              requiredHeader,
              tls);
      try {
        grpcIntake.start();
      } catch (IOException e) {
        httpIntake.stop();
        throw new UncheckedIOException(
            "cannot listen for OTLP/gRPC on " + host() + ":" + grpcPort, e);
      }
      grpc = grpcIntake;
    }
    httpIntake.start();
    http = httpIntake;
    return this;
  }

  private String httpAddress() {
    return host() + ":" + httpPort;
  }

  private String scheme() {
    return tls == null ? "http://" : "https://";
  }

  private String host() {
    String host = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + host + "]" : host;
  }

  /**
   * The OTLP/HTTP base URL, such as {@code http://127.0.0.1:4318} ({@code https://} with TLS), for
   * an exporter's endpoint setting (append {@code /v1/traces} where the exporter wants the full
   * URL).
   *
   * @throws IllegalStateException if not started
   */
  public String getHttpEndpoint() {
    OtlpHttpIntake current = http;
    if (current == null) {
      throw new IllegalStateException("the receiver is not started");
    }
    return scheme() + host() + ":" + current.getPort();
  }

  /**
   * The OTLP/gRPC endpoint, such as {@code http://127.0.0.1:4317} ({@code https://} with TLS), or
   * {@code null} if gRPC is off.
   *
   * @throws IllegalStateException if not started
   */
  public String getGrpcEndpoint() {
    if (http == null) {
      throw new IllegalStateException("the receiver is not started");
    }
    OtlpGrpcIntake current = grpc;
    return current == null ? null : scheme() + host() + ":" + current.getPort();
  }

  /** The intake of one signal's requests. */
  SignalIntake<?> intake(OtlpSignal signal) {
    switch (signal) {
      case TRACES:
        return traces;
      case METRICS:
        return metrics;
      default:
        return logs;
    }
  }

  /** Returns a snapshot of the receiver's counters and of its files' counters. */
  public ReceiverStats getStats() {
    EnumMap<OtlpSignal, ExporterStats> files = new EnumMap<>(OtlpSignal.class);
    files.put(OtlpSignal.TRACES, traces.getCore().getStats());
    files.put(OtlpSignal.METRICS, metrics.getCore().getStats());
    files.put(OtlpSignal.LOGS, logs.getCore().getStats());
    return counters.snapshot(files);
  }

  /**
   * Stops listening (requests in progress are answered first), writes what is buffered and closes
   * the files. Idempotent: a second call logs and succeeds.
   */
  public CompletableResultCode shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      logger.log(Level.INFO, "Calling shutdown() multiple times.");
      return CompletableResultCode.ofSuccess();
    }
    OtlpHttpIntake httpIntake = http;
    if (httpIntake != null) {
      httpIntake.stop();
    }
    OtlpGrpcIntake grpcIntake = grpc;
    if (grpcIntake != null) {
      grpcIntake.stop();
    }
    List<CompletableResultCode> results = new ArrayList<>();
    results.add(traces.getCore().shutdown());
    results.add(metrics.getCore().shutdown());
    results.add(logs.getCore().shutdown());
    return CompletableResultCode.ofAll(results);
  }

  /** Shuts down and waits up to 10 seconds for the files to be closed. */
  @Override
  public void close() {
    shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "OtlpFileReceiver{bindAddress="
        + address.getHostAddress()
        + ", httpPort="
        + httpPort
        + ", grpcPort="
        + grpcPort
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", readTimeoutMillis="
        + readTimeoutMillis
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + (requiredHeader == null ? "" : ", requiredHeader=" + requiredHeader)
        + (tls == null ? "" : ", tls={" + tls + "}")
        + (corsOrigins.isEmpty() ? "" : ", corsAllowedOrigins=" + corsOrigins)
        + ", "
        + settings
        + "}";
  }
}
