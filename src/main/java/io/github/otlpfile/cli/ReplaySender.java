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
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
  // Built when their signal is first met.
  private SpanExporter spans;
  private MetricExporter metrics;
  private LogRecordExporter logs;

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
    Signal signal = signalOf(record);
    try {
      // Mapped once here (the record keeps it); a mapping failure is the record's, not a send's.
      Object unused =
          signal == Signal.TRACES
              ? record.getSpans()
              : signal == Signal.METRICS ? record.getMetrics() : record.getLogRecords();
    } catch (RuntimeException e) {
      // The same record would fail the same way every time: not worth retrying.
      return new Result(Outcome.REJECTED, "it cannot be turned into SDK data: " + e);
    }
    CompletableResultCode result;
    try {
      switch (signal) {
        case TRACES:
          result = spanExporter().export(record.getSpans());
          break;
        case METRICS:
          result = metricExporter().export(record.getMetrics());
          break;
        default:
          result = logExporter().export(record.getLogRecords());
          break;
      }
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

  private SpanExporter spanExporter() {
    SpanExporter exporter = spans;
    if (exporter == null) {
      String url = url(Signal.TRACES);
      if (grpc) {
        OtlpGrpcSpanExporterBuilder builder =
            OtlpGrpcSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      } else {
        OtlpHttpSpanExporterBuilder builder =
            OtlpHttpSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      }
      spans = exporter;
    }
    return exporter;
  }

  // The metric exporter sends each point with the temporality it has in the file: an OTLP
  // exporter's temporality setting only steers the SDK's own collection, never a replayed batch.
  private MetricExporter metricExporter() {
    MetricExporter exporter = metrics;
    if (exporter == null) {
      String url = url(Signal.METRICS);
      if (grpc) {
        OtlpGrpcMetricExporterBuilder builder =
            OtlpGrpcMetricExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      } else {
        OtlpHttpMetricExporterBuilder builder =
            OtlpHttpMetricExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      }
      metrics = exporter;
    }
    return exporter;
  }

  private LogRecordExporter logExporter() {
    LogRecordExporter exporter = logs;
    if (exporter == null) {
      String url = url(Signal.LOGS);
      if (grpc) {
        OtlpGrpcLogRecordExporterBuilder builder =
            OtlpGrpcLogRecordExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      } else {
        OtlpHttpLogRecordExporterBuilder builder =
            OtlpHttpLogRecordExporter.builder()
                .setEndpoint(url)
                .setTimeout(timeout)
                .setRetryPolicy(RetryPolicy.getDefault())
                .setMeterProvider(MeterProvider.noop());
        headers.forEach(builder::addHeader);
        exporter = builder.build();
      }
      logs = exporter;
    }
    return exporter;
  }

  @Override
  public void close() {
    List<CompletableResultCode> results = new ArrayList<>();
    if (spans != null) {
      results.add(spans.shutdown());
    }
    if (metrics != null) {
      results.add(metrics.shutdown());
    }
    if (logs != null) {
      results.add(logs.shutdown());
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
