package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileMetricExporterBuilder;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * Creates an {@link OtlpFileMetricExporter} for {@code otel.metrics.exporter=otlp-file} from the
 * {@code otel.exporter.otlp.file.*} properties and the standard {@code
 * otel.exporter.otlp.metrics.temporality.preference}, {@code
 * otel.exporter.otlp.metrics.default.histogram.aggregation} and {@code
 * otel.java.exporter.memory_mode} (see {@code docs/CONFIGURATION.md}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OtlpFileMetricExporterProvider implements ConfigurableMetricExporterProvider {
  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    OtlpFileMetricExporterBuilder builder = OtlpFileMetricExporter.builder();
    FileExporterProperties.applyFileProperties(config, Signal.METRICS, builder);
    FileExporterProperties.applyMetricProperties(config, builder);
    return FileExporterProperties.build(Signal.METRICS, builder::build);
  }

  @Override
  public String getName() {
    return FileExporterProperties.EXPORTER_NAME;
  }
}
