package io.github.otlpfile;

import io.github.otlpfile.internal.ExporterCore;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * A {@link MetricExporter} that writes metrics to OTLP files under {@code {directory}/metrics/}.
 *
 * <p>{@link #export} encodes the batch on the calling thread, so the SDK may reuse its metric
 * objects as soon as it returns ({@link MemoryMode#REUSABLE_DATA}); a background thread writes the
 * bytes and completes the returned result. It never throws.
 *
 * <pre>{@code
 * SdkMeterProvider.builder()
 *     .registerMetricReader(PeriodicMetricReader.create(
 *         OtlpFileMetricExporter.builder().setTemporality(AggregationTemporality.DELTA).build()))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OtlpFileMetricExporter implements MetricExporter {
  private final ExporterCore<MetricData> core;
  private final AggregationTemporalitySelector temporalitySelector;
  private final DefaultAggregationSelector defaultAggregationSelector;
  private final MemoryMode memoryMode;

  OtlpFileMetricExporter(
      ExporterCore<MetricData> core,
      AggregationTemporalitySelector temporalitySelector,
      DefaultAggregationSelector defaultAggregationSelector,
      MemoryMode memoryMode) {
    this.core = core;
    this.temporalitySelector = temporalitySelector;
    this.defaultAggregationSelector = defaultAggregationSelector;
    this.memoryMode = memoryMode;
  }

  /** Returns a new builder with the default settings. */
  public static OtlpFileMetricExporterBuilder builder() {
    return new OtlpFileMetricExporterBuilder();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return temporalitySelector.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return defaultAggregationSelector.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return memoryMode;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return core.export(metrics);
  }

  /** Completes when every metric exported before this call is written. */
  @Override
  public CompletableResultCode flush() {
    return core.flush();
  }

  /** Writes what is pending, closes the files; later exports fail. Idempotent. */
  @Override
  public CompletableResultCode shutdown() {
    return core.shutdown();
  }

  /**
   * Returns a snapshot of this exporter's counters. Metric items are counted as {@link MetricData}
   * entries, each holding one or more points.
   */
  public ExporterStats getStats() {
    return core.getStats();
  }

  @Override
  public String toString() {
    return "OtlpFileMetricExporter{"
        + core.describe()
        + ", aggregationTemporalitySelector="
        + AggregationTemporalitySelector.asString(temporalitySelector)
        + ", defaultAggregationSelector="
        + DefaultAggregationSelector.asString(defaultAggregationSelector)
        + ", memoryMode="
        + memoryMode
        + "}";
  }
}
