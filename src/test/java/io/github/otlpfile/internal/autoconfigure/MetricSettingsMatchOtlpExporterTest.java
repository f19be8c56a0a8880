package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given the same properties, the otlp-file metric exporter answers the SDK exactly as the SDK's own
 * OTLP metric exporter ({@code otel.metrics.exporter=otlp}) does, for every instrument type.
 */
class MetricSettingsMatchOtlpExporterTest {
  /** Leaves the property out, so that both exporters apply their defaults. */
  private static final String UNSET = "(unset)";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {UNSET, "cumulative", "delta", "lowmemory", "DELTA", "LowMemory"})
  void temporalityPreference(String preference) {
    compare(Map.of("otel.exporter.otlp.metrics.temporality.preference", preference));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        UNSET,
        "explicit_bucket_histogram",
        "base2_exponential_bucket_histogram",
        "BASE2_EXPONENTIAL_BUCKET_HISTOGRAM"
      })
  void defaultHistogramAggregation(String aggregation) {
    compare(Map.of("otel.exporter.otlp.metrics.default.histogram.aggregation", aggregation));
  }

  @ParameterizedTest
  @CsvSource({"immutable_data", "reusable_data", "REUSABLE_DATA"})
  void memoryMode(String memoryMode) {
    compare(Map.of("otel.java.exporter.memory_mode", memoryMode));
  }

  private void compare(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.values().remove(UNSET);
    all.put("otel.exporter.otlp.file.directory", dir.toString());
    ConfigProperties config = DefaultConfigProperties.createFromMap(all);
    MetricExporter otlp = provider("otlp").createExporter(config);
    MetricExporter file = provider("otlp-file").createExporter(config);
    try {
      for (InstrumentType type : InstrumentType.values()) {
        assertThat(file.getAggregationTemporality(type))
            .as("temporality of %s", type)
            .isEqualTo(otlp.getAggregationTemporality(type));
        assertThat(file.getDefaultAggregation(type))
            .as("default aggregation of %s", type)
            .hasToString(otlp.getDefaultAggregation(type).toString());
      }
      // Left unset, the memory mode is each exporter's own default (see docs/CONFIGURATION.md).
      if (all.containsKey("otel.java.exporter.memory_mode")) {
        assertThat(file.getMemoryMode()).isEqualTo(otlp.getMemoryMode());
      }
    } finally {
      otlp.shutdown().join(10, TimeUnit.SECONDS);
      file.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static ConfigurableMetricExporterProvider provider(String name) {
    for (ConfigurableMetricExporterProvider provider :
        ServiceLoader.load(ConfigurableMetricExporterProvider.class)) {
      if (provider.getName().equals(name)) {
        return provider;
      }
    }
    throw new AssertionError("no metric exporter provider named " + name);
  }
}
