package io.github.otlpfile;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.forward.ForwardDelegate;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.OtlpHttpForwarding;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** Builder for {@link OtlpFileLogRecordExporter}. Not thread-safe. */
public final class OtlpFileLogRecordExporterBuilder
    extends OtlpFileExporterBuilder<OtlpFileLogRecordExporterBuilder> {
  private LogRecordExporter forwardTo;

  OtlpFileLogRecordExporterBuilder() {
    super(Signal.LOGS);
  }

  /**
   * Forwards every batch, after it is written to the local file, to {@code exporter}, for example
   * an {@code OtlpHttpLogRecordExporter} or {@code OtlpGrpcLogRecordExporter} pointing at a
   * Collector. It is called on a forwarding thread behind the circuit breaker ({@link
   * #setCircuitBreaker}), at most {@link #setForwardMaxInFlight} batches at a time and each for at
   * most {@link #setForwardTimeout}; its failures, exceptions and hangs never delay or fail the
   * local export. Its {@code flush()} and {@code shutdown()} are called from this exporter's,
   * {@code shutdown()} after the local files are closed. Cannot be combined with {@link
   * #setForwardEndpoint}. If unset, nothing is forwarded.
   */
  public OtlpFileLogRecordExporterBuilder setForwardTo(LogRecordExporter exporter) {
    this.forwardTo = requireNonNull(exporter, "forwardTo");
    return this;
  }

  /**
   * Builds the exporter and creates its {@code logs/} folder.
   *
   * @throws IllegalArgumentException if a setting is invalid or the folder cannot be written
   */
  public OtlpFileLogRecordExporter build() {
    ForwardSettings<LogRecordData> forward =
        buildForwardSettings(
            forwardTo == null ? null : ForwardDelegate.ofLogs(forwardTo),
            (url, headers, timeout, meterProvider) ->
                OtlpHttpForwarding.logs(url, headers, timeout, meterProvider),
            ForwardSettings::copyOfCollection);
    ExporterSettings settings = buildSettings();
    return new OtlpFileLogRecordExporter(
        new ExporterCore<LogRecordData>(
            Signal.LOGS,
            settings,
            BatchEncoder.forLogs(settings.format),
            Collection::size,
            forward));
  }
}
