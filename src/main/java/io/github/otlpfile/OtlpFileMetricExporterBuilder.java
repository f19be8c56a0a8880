package io.github.otlpfile;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import java.util.Collection;

/** Builder for {@link OtlpFileMetricExporter}. Not thread-safe. */
public final class OtlpFileMetricExporterBuilder
    extends OtlpFileExporterBuilder<OtlpFileMetricExporterBuilder> {
  /** The default memory mode: {@link MemoryMode#IMMUTABLE_DATA}, as in the SDK. */
  public static final MemoryMode DEFAULT_MEMORY_MODE = MemoryMode.IMMUTABLE_DATA;

  private AggregationTemporalitySelector temporalitySelector =
      AggregationTemporalitySelector.alwaysCumulative();
  private DefaultAggregationSelector defaultAggregationSelector =
      DefaultAggregationSelector.getDefault();
  private MemoryMode memoryMode = DEFAULT_MEMORY_MODE;

  OtlpFileMetricExporterBuilder() {
    super(Signal.METRICS);
  }

  /**
   * Sets the temporality preference. {@link AggregationTemporality#CUMULATIVE} (the default)
   * reports every instrument cumulatively; {@link AggregationTemporality#DELTA} follows the OTLP
   * exporters' {@code delta} preference: counters, histograms and their asynchronous forms are
   * delta, up-down counters stay cumulative.
   */
  public OtlpFileMetricExporterBuilder setTemporality(AggregationTemporality temporality) {
    requireNonNull(temporality, "temporality");
    this.temporalitySelector =
        temporality == AggregationTemporality.DELTA
            ? AggregationTemporalitySelector.deltaPreferred()
            : AggregationTemporalitySelector.alwaysCumulative();
    return this;
  }

  /**
   * Sets the temporality per instrument type, for example {@link
   * AggregationTemporalitySelector#lowMemory()}. Replaces {@link #setTemporality}.
   */
  public OtlpFileMetricExporterBuilder setAggregationTemporalitySelector(
      AggregationTemporalitySelector selector) {
    this.temporalitySelector = requireNonNull(selector, "aggregationTemporalitySelector");
    return this;
  }

  /**
   * Sets the default aggregation per instrument type, for example base-2 exponential histograms for
   * histograms. If unset, defaults to {@link DefaultAggregationSelector#getDefault()}.
   */
  public OtlpFileMetricExporterBuilder setDefaultAggregationSelector(
      DefaultAggregationSelector selector) {
    this.defaultAggregationSelector = requireNonNull(selector, "defaultAggregationSelector");
    return this;
  }

  /**
   * Sets the memory mode reported to the SDK. Under {@link MemoryMode#REUSABLE_DATA} the SDK reuses
   * metric objects between collections; the exporter encodes inside {@code export()} and keeps no
   * reference to them. If unset, defaults to {@link #DEFAULT_MEMORY_MODE}.
   */
  public OtlpFileMetricExporterBuilder setMemoryMode(MemoryMode memoryMode) {
    this.memoryMode = requireNonNull(memoryMode, "memoryMode");
    return this;
  }

  /** Metric statistics count data points, the unit users reason about, not metric streams. */
  static int countPoints(Collection<MetricData> metrics) {
    int points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    return points;
  }

  /**
   * Builds the exporter and creates its {@code metrics/} folder.
   *
   * @throws IllegalArgumentException if a setting is invalid or the folder cannot be written
   */
  public OtlpFileMetricExporter build() {
    ExporterSettings settings = buildSettings();
    return new OtlpFileMetricExporter(
        new ExporterCore<MetricData>(
            Signal.METRICS,
            settings,
            BatchEncoder.forMetrics(settings.format),
            OtlpFileMetricExporterBuilder::countPoints),
        temporalitySelector,
        defaultAggregationSelector,
        memoryMode);
  }
}
