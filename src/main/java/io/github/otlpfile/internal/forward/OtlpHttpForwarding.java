package io.github.otlpfile.internal.forward;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the OTLP/HTTP exporters behind {@code setForwardEndpoint}. Refers to classes of the
 * optional {@code opentelemetry-exporter-otlp}: load it only after {@link
 * ForwardEndpoint#requireExporterClass} has passed.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OtlpHttpForwarding {
  private OtlpHttpForwarding() {}

  /**
   * @param url the signal's full URL, from {@link ForwardEndpoint#resolve}
   * @param meterProvider where the exporter publishes its own metrics; {@code null} for none
   */
  public static ForwardDelegate<SpanData> spans(
      String url, Map<String, String> headers, Duration timeout, MeterProvider meterProvider) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(url)
            .setTimeout(timeout)
            .setMeterProvider(orNoop(meterProvider));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    OtlpHttpSpanExporter exporter = builder.build();
    return ForwardDelegate.create(url, exporter::export, exporter::flush, exporter::shutdown);
  }

  public static ForwardDelegate<MetricData> metrics(
      String url, Map<String, String> headers, Duration timeout, MeterProvider meterProvider) {
    OtlpHttpMetricExporterBuilder builder =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(url)
            .setTimeout(timeout)
            .setMeterProvider(orNoop(meterProvider));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    OtlpHttpMetricExporter exporter = builder.build();
    return ForwardDelegate.create(url, exporter::export, exporter::flush, exporter::shutdown);
  }

  public static ForwardDelegate<LogRecordData> logs(
      String url, Map<String, String> headers, Duration timeout, MeterProvider meterProvider) {
    OtlpHttpLogRecordExporterBuilder builder =
        OtlpHttpLogRecordExporter.builder()
            .setEndpoint(url)
            .setTimeout(timeout)
            .setMeterProvider(orNoop(meterProvider));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    OtlpHttpLogRecordExporter exporter = builder.build();
    return ForwardDelegate.create(url, exporter::export, exporter::flush, exporter::shutdown);
  }

  private static MeterProvider orNoop(MeterProvider meterProvider) {
    return meterProvider == null ? MeterProvider.noop() : meterProvider;
  }
}
