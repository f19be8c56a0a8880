package io.github.otlpfile;

import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.Collection;

/** Builder for {@link OtlpFileLogRecordExporter}. Not thread-safe. */
public final class OtlpFileLogRecordExporterBuilder
    extends OtlpFileExporterBuilder<OtlpFileLogRecordExporterBuilder> {

  OtlpFileLogRecordExporterBuilder() {
    super(Signal.LOGS);
  }

  /**
   * Builds the exporter and creates its {@code logs/} folder.
   *
   * @throws IllegalArgumentException if a setting is invalid or the folder cannot be written
   */
  public OtlpFileLogRecordExporter build() {
    ExporterSettings settings = buildSettings();
    return new OtlpFileLogRecordExporter(
        new ExporterCore<LogRecordData>(
            Signal.LOGS, settings, BatchEncoder.forLogs(settings.format), Collection::size));
  }
}
