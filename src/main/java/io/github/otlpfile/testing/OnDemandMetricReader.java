package io.github.otlpfile.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;

/**
 * A metric reader that collects and exports only when flushed: a test's reads flush it, so no timer
 * thread is needed and nothing is exported behind the test's back.
 *
 * <p>Thread-safe: the SDK's collection is; the registration is set once, before any flush.
 */
final class OnDemandMetricReader implements MetricReader {
  private final MetricExporter exporter;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  OnDemandMetricReader(MetricExporter exporter) {
    this.exporter = exporter;
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return exporter.getAggregationTemporality(instrumentType);
  }

  @Override
  public CompletableResultCode forceFlush() {
    Collection<MetricData> metrics = registration.collectAllMetrics();
    if (metrics.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    return exporter.export(metrics);
  }

  @Override
  public CompletableResultCode shutdown() {
    // What is not read by the end of the test is not wanted: no final export.
    return exporter.shutdown();
  }

  @Override
  public String toString() {
    return "OnDemandMetricReader{exporter=" + exporter + "}";
  }
}
