package io.github.otlpfile;

import io.github.otlpfile.internal.ExporterCore;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/**
 * A {@link LogRecordExporter} that writes log records to OTLP files under {@code
 * {directory}/logs/}.
 *
 * <p>{@link #export} encodes the batch on the calling thread and returns; a background thread
 * writes it, and the returned result completes once the bytes are in the file. It never throws.
 *
 * <pre>{@code
 * SdkLoggerProvider.builder()
 *     .addLogRecordProcessor(BatchLogRecordProcessor.builder(
 *         OtlpFileLogRecordExporter.builder().setDirectory(Paths.get("otlp-files")).build()).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OtlpFileLogRecordExporter implements LogRecordExporter {
  private final ExporterCore<LogRecordData> core;

  OtlpFileLogRecordExporter(ExporterCore<LogRecordData> core) {
    this.core = core;
  }

  /** Returns a new builder with the default settings. */
  public static OtlpFileLogRecordExporterBuilder builder() {
    return new OtlpFileLogRecordExporterBuilder();
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    return core.export(logs);
  }

  /** Completes when every log record exported before this call is written. */
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
    return "OtlpFileLogRecordExporter{" + core.describe() + "}";
  }
}
