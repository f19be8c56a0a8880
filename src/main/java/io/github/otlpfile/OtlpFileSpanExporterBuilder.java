package io.github.otlpfile;

import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;

/** Builder for {@link OtlpFileSpanExporter}. Not thread-safe. */
public final class OtlpFileSpanExporterBuilder
    extends OtlpFileExporterBuilder<OtlpFileSpanExporterBuilder> {

  OtlpFileSpanExporterBuilder() {
    super(Signal.TRACES);
  }

  /**
   * Builds the exporter and creates its {@code traces/} folder.
   *
   * @throws IllegalArgumentException if a setting is invalid or the folder cannot be written
   */
  public OtlpFileSpanExporter build() {
    ExporterSettings settings = buildSettings();
    return new OtlpFileSpanExporter(
        new ExporterCore<SpanData>(
            Signal.TRACES, settings, BatchEncoder.forSpans(settings.format), Collection::size));
  }
}
