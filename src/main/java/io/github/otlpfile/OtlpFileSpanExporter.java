package io.github.otlpfile;

import io.github.otlpfile.internal.ExporterCore;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * A {@link SpanExporter} that writes spans to OTLP files under {@code {directory}/traces/}.
 *
 * <p>{@link #export} encodes the batch on the calling thread and returns; a background thread
 * writes it, and the returned result completes once the bytes are in the file. It never throws.
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(BatchSpanProcessor.builder(
 *         OtlpFileSpanExporter.builder().setDirectory(Paths.get("otlp-files")).build()).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OtlpFileSpanExporter implements SpanExporter {
  private final ExporterCore<SpanData> core;

  OtlpFileSpanExporter(ExporterCore<SpanData> core) {
    this.core = core;
  }

  /** Returns a new builder with the default settings. */
  public static OtlpFileSpanExporterBuilder builder() {
    return new OtlpFileSpanExporterBuilder();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return core.export(spans);
  }

  /** Completes when every span exported before this call is written. */
  @Override
  public CompletableResultCode flush() {
    return core.flush();
  }

  /** Writes what is pending, closes the files; later exports fail. Idempotent. */
  @Override
  public CompletableResultCode shutdown() {
    return core.shutdown();
  }

  /** Returns a snapshot of this exporter's counters. */
  public ExporterStats getStats() {
    return core.getStats();
  }

  @Override
  public String toString() {
    return "OtlpFileSpanExporter{" + core.describe() + "}";
  }
}
