package io.github.otlpfile;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.ExporterSettings;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.forward.ForwardDelegate;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.OtlpHttpForwarding;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** Builder for {@link OtlpFileSpanExporter}. Not thread-safe. */
public final class OtlpFileSpanExporterBuilder
    extends OtlpFileExporterBuilder<OtlpFileSpanExporterBuilder> {
  private SpanExporter forwardTo;

  OtlpFileSpanExporterBuilder() {
    super(Signal.TRACES);
  }

  /**
   * Forwards every batch, after it is written to the local file, to {@code exporter}, for example
   * an {@code OtlpHttpSpanExporter} or {@code OtlpGrpcSpanExporter} pointing at a Collector. It is
   * called on a forwarding thread behind the circuit breaker ({@link #setCircuitBreaker}), at most
   * {@link #setForwardMaxInFlight} batches at a time and each for at most {@link
   * #setForwardTimeout}; its failures, exceptions and hangs never delay or fail the local export.
   * Its {@code flush()} and {@code shutdown()} are called from this exporter's, {@code shutdown()}
   * after the local files are closed. Cannot be combined with {@link #setForwardEndpoint}. If
   * unset, nothing is forwarded.
   */
  public OtlpFileSpanExporterBuilder setForwardTo(SpanExporter exporter) {
    this.forwardTo = requireNonNull(exporter, "forwardTo");
    return this;
  }

  /**
   * Builds the exporter and creates its {@code traces/} folder.
   *
   * @throws IllegalArgumentException if a setting is invalid or the folder cannot be written
   */
  public OtlpFileSpanExporter build() {
    ForwardSettings<SpanData> forward =
        buildForwardSettings(
            forwardTo == null ? null : ForwardDelegate.ofSpans(forwardTo),
            (url, headers, timeout, meterProvider) ->
                OtlpHttpForwarding.spans(url, headers, timeout, meterProvider),
            ForwardSettings::copyOfCollection);
    ExporterSettings settings = buildSettings();
    return new OtlpFileSpanExporter(
        new ExporterCore<SpanData>(
            Signal.TRACES,
            settings,
            BatchEncoder.forSpans(settings.format),
            Collection::size,
            forward));
  }
}
