package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileMetricExporterBuilder;
import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * How configuration properties become exporter settings: the table of {@code
 * otel.exporter.otlp.file.*} properties shared by all signals, and the standard OTLP metric
 * properties that the metric exporter honours with the same meanings as the SDK's OTLP exporters.
 *
 * <p>A new builder setting is one more line in {@link #FILE_PROPERTIES}; documentation lives in
 * {@code docs/CONFIGURATION.md}, which a test keeps in step with this table.
 *
 * <p>Stateless and thread-safe.
 */
final class FileExporterProperties {
  /** The name for {@code otel.traces.exporter}, {@code otel.metrics.exporter}, {@code ...logs}. */
  static final String EXPORTER_NAME = "otlp-file";

  static final String TEMPORALITY_PREFERENCE = "otel.exporter.otlp.metrics.temporality.preference";
  static final String DEFAULT_HISTOGRAM_AGGREGATION =
      "otel.exporter.otlp.metrics.default.histogram.aggregation";
  static final String MEMORY_MODE = "otel.java.exporter.memory_mode";

  // The two breaker settings make one CircuitBreakerConfig: applied together, after the table.
  private static final FileExporterProperty<Integer> BREAKER_FAILURE_THRESHOLD =
      property("circuit.breaker.failure.threshold", ValueReaders::positiveInt, (b, v) -> {});
  private static final FileExporterProperty<Duration> BREAKER_OPEN_DURATION =
      property("circuit.breaker.open.duration", ValueReaders::positiveDuration, (b, v) -> {});

  /**
   * Every {@code otel.exporter.otlp.file.*} property, in the order the documentation lists them.
   */
  static final List<FileExporterProperty<?>> FILE_PROPERTIES =
      Collections.unmodifiableList(
          Arrays.<FileExporterProperty<?>>asList(
              property("directory", ValueReaders::path, OtlpFileExporterBuilder::setDirectory),
              property("format", ValueReaders.oneOf(formats()), OtlpFileExporterBuilder::setFormat),
              property(
                  "buffer.capacity",
                  ValueReaders::byteSize,
                  OtlpFileExporterBuilder::setBufferCapacity),
              property(
                  "overflow.policy",
                  ValueReaders.oneOf(ValueReaders.lowerCaseNames(OverflowPolicy.class)),
                  OtlpFileExporterBuilder::setOverflowPolicy),
              property(
                  "max.file.size", ValueReaders::byteSize, OtlpFileExporterBuilder::setMaxFileSize),
              property(
                  "max.file.age",
                  ValueReaders::positiveDuration,
                  OtlpFileExporterBuilder::setMaxFileAge),
              property(
                  "durability",
                  ValueReaders.oneOf(ValueReaders.lowerCaseNames(Durability.class)),
                  OtlpFileExporterBuilder::setDurability),
              property(
                  "max.files", ValueReaders::positiveInt, OtlpFileExporterBuilder::setMaxFiles),
              property(
                  "max.total.size",
                  ValueReaders::byteSize,
                  OtlpFileExporterBuilder::setMaxTotalSize),
              property(
                  "max.age", ValueReaders::positiveDuration, OtlpFileExporterBuilder::setMaxAge),
              property(
                  "compression",
                  ValueReaders.oneOf(ValueReaders.lowerCaseNames(Compression.class)),
                  OtlpFileExporterBuilder::setCompression),
              property(
                  "forward.endpoint",
                  ValueReaders::string,
                  OtlpFileExporterBuilder::setForwardEndpoint),
              // Validation only: the endpoint is always reached with OTLP/HTTP protobuf.
              property(
                  "forward.protocol",
                  ValueReaders.oneOf(forwardProtocols()),
                  (builder, protocol) -> {}),
              property(
                  "forward.headers",
                  ValueReaders::headers,
                  OtlpFileExporterBuilder::setForwardHeaders),
              property(
                  "forward.timeout",
                  ValueReaders::positiveDuration,
                  OtlpFileExporterBuilder::setForwardTimeout),
              property(
                  "forward.max.in.flight",
                  ValueReaders::positiveInt,
                  OtlpFileExporterBuilder::setForwardMaxInFlight),
              property(
                  "forward.catch.up",
                  ValueReaders::bool,
                  OtlpFileExporterBuilder::setForwardCatchUp),
              property(
                  "forward.catch.up.rate",
                  ValueReaders::positiveInt,
                  (builder, rate) -> builder.setForwardCatchUpRate(rate)),
              BREAKER_FAILURE_THRESHOLD,
              BREAKER_OPEN_DURATION));

  private static final ValueReader<AggregationTemporalitySelector> TEMPORALITY =
      ValueReaders.oneOf(temporalities());
  private static final ValueReader<DefaultAggregationSelector> HISTOGRAM_AGGREGATION =
      ValueReaders.oneOf(histogramAggregations());
  private static final ValueReader<MemoryMode> MEMORY_MODES =
      ValueReaders.oneOf(ValueReaders.lowerCaseNames(MemoryMode.class));

  private FileExporterProperties() {}

  /** Applies every {@code otel.exporter.otlp.file.*} property set for {@code signal}. */
  static void applyFileProperties(
      ConfigProperties config, Signal signal, OtlpFileExporterBuilder<?> builder) {
    for (FileExporterProperty<?> property : FILE_PROPERTIES) {
      property.apply(config, signal, builder);
    }
    Integer threshold = BREAKER_FAILURE_THRESHOLD.read(config, signal);
    Duration openDuration = BREAKER_OPEN_DURATION.read(config, signal);
    if (threshold != null || openDuration != null) {
      builder.setCircuitBreaker(
          CircuitBreakerConfig.builder()
              .setFailureThreshold(
                  threshold != null ? threshold : CircuitBreakerConfig.DEFAULT_FAILURE_THRESHOLD)
              .setOpenDuration(
                  openDuration != null ? openDuration : CircuitBreakerConfig.DEFAULT_OPEN_DURATION)
              .build());
    }
  }

  /**
   * Applies the standard metric exporter properties: temporality preference, default histogram
   * aggregation and memory mode. Unset properties leave the builder's defaults.
   */
  static void applyMetricProperties(
      ConfigProperties config, OtlpFileMetricExporterBuilder builder) {
    AggregationTemporalitySelector temporality = TEMPORALITY.read(config, TEMPORALITY_PREFERENCE);
    if (temporality != null) {
      builder.setAggregationTemporalitySelector(temporality);
    }
    DefaultAggregationSelector aggregation =
        HISTOGRAM_AGGREGATION.read(config, DEFAULT_HISTOGRAM_AGGREGATION);
    if (aggregation != null) {
      builder.setDefaultAggregationSelector(aggregation);
    }
    MemoryMode memoryMode = MEMORY_MODES.read(config, MEMORY_MODE);
    if (memoryMode != null) {
      builder.setMemoryMode(memoryMode);
    }
  }

  /**
   * Runs a builder's {@code build()}, turning what it rejects (such as a directory that cannot be
   * created) into the exception autoconfiguration reports.
   */
  static <E> E build(Signal signal, Supplier<E> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "Cannot create the "
              + EXPORTER_NAME
              + " exporter for "
              + signal.getDirectoryName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static <V> FileExporterProperty<V> property(
      String name, ValueReader<V> reader, BiConsumer<OtlpFileExporterBuilder<?>, V> setter) {
    return new FileExporterProperty<>(name, reader, setter);
  }

  private static Map<String, String> forwardProtocols() {
    Map<String, String> protocols = new LinkedHashMap<>();
    protocols.put("http/protobuf", "http/protobuf");
    return protocols;
  }

  private static Map<String, OtlpFileFormat> formats() {
    Map<String, OtlpFileFormat> formats = new LinkedHashMap<>();
    for (OtlpFileFormat format : OtlpFileFormat.values()) {
      formats.put(format.getFileExtension(), format);
    }
    return formats;
  }

  // The names and meanings of the SDK's OTLP exporters for the same property.
  private static Map<String, AggregationTemporalitySelector> temporalities() {
    Map<String, AggregationTemporalitySelector> temporalities = new LinkedHashMap<>();
    temporalities.put("cumulative", AggregationTemporalitySelector.alwaysCumulative());
    temporalities.put("delta", AggregationTemporalitySelector.deltaPreferred());
    temporalities.put("lowmemory", AggregationTemporalitySelector.lowMemory());
    return temporalities;
  }

  private static Map<String, DefaultAggregationSelector> histogramAggregations() {
    Map<String, DefaultAggregationSelector> aggregations = new LinkedHashMap<>();
    aggregations.put("explicit_bucket_histogram", DefaultAggregationSelector.getDefault());
    aggregations.put(
        "base2_exponential_bucket_histogram",
        DefaultAggregationSelector.getDefault()
            .with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram()));
    return aggregations;
  }
}
