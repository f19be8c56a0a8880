package io.github.otlpfile.cli;

import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.forward.ForwardEndpoint;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends the records of a replay with the OpenTelemetry OTLP exporters ({@code
 * opentelemetry-exporter-otlp}), one exporter per signal, built when its signal is first met, and
 * tells the outcome of each record: delivered, worth retrying (no answer, 429, 502, 503, 504, gRPC
 * {@code UNAVAILABLE} and the other retryable codes, a timeout), or rejected for good.
 *
 * <p>Within one send, the exporter retries by its {@link RetryPolicy} (the OpenTelemetry default:
 * up to 5 attempts with backoff from 1 s to 5 s), within {@code timeout}; where the exporter
 * honours {@code Retry-After} (OpenTelemetry 1.68.0 does; 1.63.0 does not), it waits as the header
 * says, cut to what is left of {@code timeout}.
 *
 * <p>Header values are given to the exporters only; nothing here prints, logs or keeps them
 * elsewhere. Not thread-safe: one replay loop uses it.
 */
final class ReplaySender implements AutoCloseable {
  enum Outcome {
    DELIVERED,
    RETRYABLE,
    REJECTED
  }

  /** The outcome of one send, and what the endpoint said when it was not delivered. */
  static final class Result {
    final Outcome outcome;
    final String reason;

    Result(Outcome outcome, String reason) {
      this.outcome = outcome;
      this.reason = reason;
    }
  }

  static final String HTTP_PROTOBUF = "http/protobuf";
  static final String GRPC = "grpc";

  private final String endpoint;
  private final boolean grpc;
  private final Map<String, String> headers;
  private final Duration timeout;
  // One per signal, by Signal ordinal; each builds its exporter when its signal is first met.
  private final Lane<?, ?>[] lanes = new Lane<?, ?>[Signal.values().length];

  /**
   * @throws IllegalArgumentException if {@code endpoint} is not a usable URL for {@code protocol}
   */
  ReplaySender(String endpoint, String protocol, Map<String, String> headers, Duration timeout) {
    this.grpc = GRPC.equals(protocol);
    this.endpoint = endpoint;
    this.headers = headers;
    this.timeout = timeout;
    for (Signal signal : Signal.values()) {
      url(signal); // checks the URL before anything is sent
    }
  }

  /** The URL records of {@code signal} go to. */
  String url(Signal signal) {
    String url;
    try {
      url = ForwardEndpoint.resolve(endpoint, signal);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage()
              .replace("forwardEndpoint", "--endpoint")
              .replace("setForwardHeaders", "--header"));
    }
    if (!grpc) {
      return url;
    }
    // gRPC takes scheme, host and port; the service path is its own.
    java.net.URI uri = java.net.URI.create(endpoint);
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException(
          "--endpoint for grpc must be scheme://host:port without a path, but was " + endpoint);
    }
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /** Sends one record and waits for its outcome. */
  Result send(OtlpRecord record) {
    Lane<?, ?> lane = lane(signalOf(record));
    try {
      // Mapped once here (the record keeps it); a mapping failure is the record's, not a send's.
      lane.map(record);
    } catch (RuntimeException e) {
      // The same record would fail the same way every time: not worth retrying.
      return new Result(Outcome.REJECTED, "it cannot be turned into SDK data: " + e);
    }
    CompletableResultCode result;
    try {
      result = lane.export(record);
    } catch (RuntimeException e) {
      return new Result(Outcome.RETRYABLE, "the exporter failed: " + e);
    }
    // The exporter's own timeout bounds the send; a little more lets it report its own failure.
    result.join(timeout.toMillis() + TimeUnit.SECONDS.toMillis(5), TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      return new Result(Outcome.RETRYABLE, "no answer within " + timeout);
    }
    if (result.isSuccess()) {
      return new Result(Outcome.DELIVERED, null);
    }
    return classify(result.getFailureThrowable());
  }

  static Result classify(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException) {
      HttpResponse response = ((FailedExportException.HttpExportException) failure).getResponse();
      if (response == null) {
        return new Result(Outcome.RETRYABLE, describe(failure.getCause(), failure));
      }
      int status = response.getStatusCode();
      String reason = "HTTP " + status;
      boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
      return new Result(retryable ? Outcome.RETRYABLE : Outcome.REJECTED, reason);
    }
    if (failure instanceof FailedExportException.GrpcExportException) {
      GrpcResponse response = ((FailedExportException.GrpcExportException) failure).getResponse();
      if (response == null) {
        return new Result(Outcome.RETRYABLE, describe(failure.getCause(), failure));
      }
      String code = String.valueOf(response.getStatusCode());
      switch (code) {
        case "CANCELLED":
        case "DEADLINE_EXCEEDED":
        case "RESOURCE_EXHAUSTED":
        case "ABORTED":
        case "OUT_OF_RANGE":
        case "UNAVAILABLE":
        case "DATA_LOSS":
          return new Result(Outcome.RETRYABLE, "gRPC " + code);
        default:
          return new Result(Outcome.REJECTED, "gRPC " + code);
      }
    }
    return new Result(Outcome.RETRYABLE, describe(failure, failure));
  }

  private static String describe(Throwable cause, Throwable fallback) {
    Throwable t = cause != null ? cause : fallback;
    if (t == null) {
      return "the exporter reported failure";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private Lane<?, ?> lane(Signal signal) {
    Lane<?, ?> lane = lanes[signal.ordinal()];
    if (lane == null) {
      lane = newLane(signal);
      lanes[signal.ordinal()] = lane;
    }
    return lane;
  }

  private static Signal signalOf(OtlpRecord record) {
    switch (record.getSignal()) {
      case TRACES:
        return Signal.TRACES;
      case METRICS:
        return Signal.METRICS;
      default:
        return Signal.LOGS;
    }
  }

  // The metric exporter sends each point with the temporality it has in the file: an OTLP
  // exporter's temporality setting only steers the SDK's own collection, never a replayed batch.
  private Lane<?, ?> newLane(Signal signal) {
    String url = url(signal);
    switch (signal) {
      case TRACES:
        return new Lane<SpanExporter, SpanData>(
            OtlpRecord::getSpans,
            SpanExporter::export,
            SpanExporter::shutdown,
            () ->
                grpc
                    ? withHeaders(
                            OtlpGrpcSpanExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpGrpcSpanExporterBuilder::addHeader)
                        .build()
                    : withHeaders(
                            OtlpHttpSpanExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpHttpSpanExporterBuilder::addHeader)
                        .build());
      case METRICS:
        return new Lane<MetricExporter, MetricData>(
            OtlpRecord::getMetrics,
            MetricExporter::export,
            MetricExporter::shutdown,
            () ->
                grpc
                    ? withHeaders(
                            OtlpGrpcMetricExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpGrpcMetricExporterBuilder::addHeader)
                        .build()
                    : withHeaders(
                            OtlpHttpMetricExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpHttpMetricExporterBuilder::addHeader)
                        .build());
      default:
        return new Lane<LogRecordExporter, LogRecordData>(
            OtlpRecord::getLogRecords,
            LogRecordExporter::export,
            LogRecordExporter::shutdown,
            () ->
                grpc
                    ? withHeaders(
                            OtlpGrpcLogRecordExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpGrpcLogRecordExporterBuilder::addHeader)
                        .build()
                    : withHeaders(
                            OtlpHttpLogRecordExporter.builder()
                                .setEndpoint(url)
                                .setTimeout(timeout)
                                .setRetryPolicy(RetryPolicy.getDefault())
                                .setMeterProvider(MeterProvider.noop()),
                            OtlpHttpLogRecordExporterBuilder::addHeader)
                        .build());
    }
  }

  /** Adds the headers to an exporter builder; the OTLP builders share no type for it. */
  private <B> B withHeaders(B builder, HeaderAdder<B> adder) {
    headers.forEach((name, value) -> adder.add(builder, name, value));
    return builder;
  }

  @FunctionalInterface
  private interface HeaderAdder<B> {
    void add(B builder, String name, String value);
  }

  /**
   * One signal's exporter, built when the signal is first met, and how a record's data of that
   * signal is taken out and sent.
   */
  private static final class Lane<E, D> {
    private final Function<OtlpRecord, Collection<D>> data;
    private final BiFunction<E, Collection<D>, CompletableResultCode> export;
    private final Function<E, CompletableResultCode> shutdown;
    private final Supplier<E> build;
    private E exporter;

    Lane(
        Function<OtlpRecord, Collection<D>> data,
        BiFunction<E, Collection<D>, CompletableResultCode> export,
        Function<E, CompletableResultCode> shutdown,
        Supplier<E> build) {
      this.data = data;
      this.export = export;
      this.shutdown = shutdown;
      this.build = build;
    }

    /** Maps the record's data (the record keeps it); throws if it cannot be mapped. */
    void map(OtlpRecord record) {
      data.apply(record);
    }

    CompletableResultCode export(OtlpRecord record) {
      if (exporter == null) {
        exporter = build.get();
      }
      return export.apply(exporter, data.apply(record));
    }

    /** Shuts the exporter down, or returns null when it was never built. */
    CompletableResultCode shutdown() {
      return exporter == null ? null : shutdown.apply(exporter);
    }
  }

  @Override
  public void close() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (Lane<?, ?> lane : lanes) {
      CompletableResultCode shutdown = lane == null ? null : lane.shutdown();
      if (shutdown != null) {
        results.add(shutdown);
      }
    }
    CompletableResultCode.ofAll(results).join(10, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    // Header names only: their values may be credentials.
    return "ReplaySender{endpoint="
        + endpoint
        + ", protocol="
        + (grpc ? GRPC : HTTP_PROTOBUF)
        + ", headers="
        + headers.keySet()
        + ", timeout="
        + timeout
        + "}";
  }
}
