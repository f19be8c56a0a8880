package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.OtlpFileSpanExporterBuilder;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Creates an {@link OtlpFileSpanExporter} for {@code otel.traces.exporter=otlp-file} from the
 * {@code otel.exporter.otlp.file.*} properties (see {@code docs/CONFIGURATION.md}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OtlpFileSpanExporterProvider implements ConfigurableSpanExporterProvider {
  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    OtlpFileSpanExporterBuilder builder = OtlpFileSpanExporter.builder();
    FileExporterProperties.applyFileProperties(config, Signal.TRACES, builder);
    return FileExporterProperties.build(Signal.TRACES, builder::build);
  }

  @Override
  public String getName() {
    return FileExporterProperties.EXPORTER_NAME;
  }
}
