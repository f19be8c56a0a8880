package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The providers are registered under META-INF/services, named {@code otlp-file}. */
class ProvidersServiceLoaderTest {
  @Test
  void spanExporterProvider() {
    List<ConfigurableSpanExporterProvider> found = new ArrayList<>();
    ServiceLoader.load(ConfigurableSpanExporterProvider.class).forEach(found::add);
    assertThat(found)
        .filteredOn(p -> p.getName().equals("otlp-file"))
        .singleElement()
        .isInstanceOf(OtlpFileSpanExporterProvider.class);
  }

  @Test
  void metricExporterProvider() {
    List<ConfigurableMetricExporterProvider> found = new ArrayList<>();
    ServiceLoader.load(ConfigurableMetricExporterProvider.class).forEach(found::add);
    assertThat(found)
        .filteredOn(p -> p.getName().equals("otlp-file"))
        .singleElement()
        .isInstanceOf(OtlpFileMetricExporterProvider.class);
  }

  @Test
  void logRecordExporterProvider() {
    List<ConfigurableLogRecordExporterProvider> found = new ArrayList<>();
    ServiceLoader.load(ConfigurableLogRecordExporterProvider.class).forEach(found::add);
    assertThat(found)
        .filteredOn(p -> p.getName().equals("otlp-file"))
        .singleElement()
        .isInstanceOf(OtlpFileLogRecordExporterProvider.class);
  }
}
