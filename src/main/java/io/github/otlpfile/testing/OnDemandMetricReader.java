package io.github.otlpfile.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric reader that collects and exports only when flushed: a test's reads flush it, so no timer
 * thread is needed and nothing is exported behind the test's back.
 *
 * <p>Thread-safe: the SDK's collection is; the registration is set once, before any flush.
 */
final class OnDemandMetricReader implements MetricReader {
  private final MetricExporter exporter;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  // Per metric, the state of its last export. Guarded by this.
  private final Map<List<Object>, String> exported = new HashMap<>();

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
  public synchronized CompletableResultCode forceFlush() {
    Collection<MetricData> metrics = registration.collectAllMetrics();
    List<MetricData> changed = new ArrayList<>();
    for (MetricData metric : metrics) {
      List<Object> key =
          Arrays.asList(metric.getInstrumentationScopeInfo(), metric.getName(), metric.getType());
      String state = state(metric);
      if (!state.equals(exported.put(key, state))) {
        changed.add(metric);
      }
    }
    if (changed.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    return exporter.export(changed);
  }

  /** The metric's points without their times: what a reader of the files would compare. */
  private static String state(MetricData metric) {
    StringBuilder state = new StringBuilder();
    for (PointData point : metric.getData().getPoints()) {
      state.append(point.getAttributes()).append('=');
      if (point instanceof LongPointData) {
        state.append(((LongPointData) point).getValue());
      } else if (point instanceof DoublePointData) {
        state.append(((DoublePointData) point).getValue());
      } else if (point instanceof HistogramPointData) {
        HistogramPointData h = (HistogramPointData) point;
        state.append(h.getCount()).append('/').append(h.getSum()).append(h.getCounts());
      } else if (point instanceof ExponentialHistogramPointData) {
        ExponentialHistogramPointData h = (ExponentialHistogramPointData) point;
        state.append(h.getCount()).append('/').append(h.getSum()).append('/').append(h.getScale());
      } else if (point instanceof SummaryPointData) {
        SummaryPointData h = (SummaryPointData) point;
        state.append(h.getCount()).append('/').append(h.getSum());
      } else {
        state.append(point.getEpochNanos()); // a kind not known here: always exported
      }
      state.append(';');
    }
    return state.toString();
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
