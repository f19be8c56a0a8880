package io.github.otlpfile.internal.forward;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The remote exporter a {@link Forwarder} hands batches to, seen through the three calls the
 * signal-specific exporter interfaces have in common.
 *
 * <p>Immutable; as thread-safe as the exporter it wraps.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ForwardDelegate<T> {
  private final String description;
  private final Function<Collection<T>, CompletableResultCode> export;
  private final Supplier<CompletableResultCode> flush;
  private final Supplier<CompletableResultCode> shutdown;

  private ForwardDelegate(
      String description,
      Function<Collection<T>, CompletableResultCode> export,
      Supplier<CompletableResultCode> flush,
      Supplier<CompletableResultCode> shutdown) {
    this.description = requireNonNull(description, "description");
    this.export = requireNonNull(export, "export");
    this.flush = requireNonNull(flush, "flush");
    this.shutdown = requireNonNull(shutdown, "shutdown");
  }

  /**
   * Wraps three calls; {@code description} names the target in log messages and must not contain
   * secrets.
   */
  public static <T> ForwardDelegate<T> create(
      String description,
      Function<Collection<T>, CompletableResultCode> export,
      Supplier<CompletableResultCode> flush,
      Supplier<CompletableResultCode> shutdown) {
    return new ForwardDelegate<>(description, export, flush, shutdown);
  }

  public static ForwardDelegate<SpanData> ofSpans(SpanExporter exporter) {
    return create(nameOf(exporter), exporter::export, exporter::flush, exporter::shutdown);
  }

  public static ForwardDelegate<MetricData> ofMetrics(MetricExporter exporter) {
    return create(nameOf(exporter), exporter::export, exporter::flush, exporter::shutdown);
  }

  public static ForwardDelegate<LogRecordData> ofLogs(LogRecordExporter exporter) {
    return create(nameOf(exporter), exporter::export, exporter::flush, exporter::shutdown);
  }

  // The class name only: an exporter's toString() may show its headers.
  private static String nameOf(Object exporter) {
    return exporter.getClass().getName();
  }

  CompletableResultCode export(Collection<T> items) {
    return export.apply(items);
  }

  CompletableResultCode flush() {
    return flush.get();
  }

  CompletableResultCode shutdown() {
    return shutdown.get();
  }

  @Override
  public String toString() {
    return description;
  }
}
