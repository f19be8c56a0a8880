package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileLogRecordExporterBuilder;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * Creates an {@link OtlpFileLogRecordExporter} for {@code otel.logs.exporter=otlp-file} from the
 * {@code otel.exporter.otlp.file.*} properties (see {@code docs/CONFIGURATION.md}).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OtlpFileLogRecordExporterProvider
    implements ConfigurableLogRecordExporterProvider {
  @Override
  public LogRecordExporter createExporter(ConfigProperties config) {
    OtlpFileLogRecordExporterBuilder builder = OtlpFileLogRecordExporter.builder();
    FileExporterProperties.applyFileProperties(config, Signal.LOGS, builder);
    return FileExporterProperties.build(Signal.LOGS, builder::build);
  }

  @Override
  public String getName() {
    return FileExporterProperties.EXPORTER_NAME;
  }
}
