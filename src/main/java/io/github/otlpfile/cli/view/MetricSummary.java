package io.github.otlpfile.cli.view;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One metric stream in the index: a service's instrument of one name, type and unit; its points
 * stay in the files. About 300 bytes, plus 4 per record and up to {@link #MAX_SERIES} series
 * hashes.
 *
 * <p>Not thread-safe: guarded by the index's lock.
 */
final class MetricSummary {
  static final int MAX_SERIES = 1000;

  final int id;
  final String key;
  final String service;
  final String scope;
  final String name;
  final String type;
  String description;
  final String unit;
  String temporality = "";
  boolean monotonic;
  long points;
  long firstNanos = Long.MAX_VALUE;
  long lastNanos = Long.MIN_VALUE;
  final Set<Integer> series = new HashSet<>();
  final ViewIndex.IntList records = new ViewIndex.IntList();

  MetricSummary(int id, String key, String service, String scope, Metric metric) {
    this.id = id;
    this.key = key;
    this.service = service;
    this.scope = scope;
    this.name = metric.getName();
    this.type = ViewIndex.metricType(metric);
    this.description = metric.getDescription();
    this.unit = metric.getUnit();
  }

  static String keyOf(String service, String scope, Metric metric, String type) {
    return service
        + '\u0000'
        + scope
        + '\u0000'
        + metric.getName()
        + '\u0000'
        + type
        + '\u0000'
        + metric.getUnit();
  }

  /** Adds a metric's points from record {@code record}; returns how many. */
  int add(Metric metric, int record) {
    records.addDistinctLast(record);
    if (description.isEmpty()) {
      description = metric.getDescription();
    }
    int count = 0;
    switch (metric.getDataCase()) {
      case GAUGE:
        for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
          point(point.getAttributesList(), point.getTimeUnixNano());
          count++;
        }
        break;
      case SUM:
        temporality = temporalityOf(metric.getSum().getAggregationTemporality());
        monotonic = metric.getSum().getIsMonotonic();
        for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
          point(point.getAttributesList(), point.getTimeUnixNano());
          count++;
        }
        break;
      case HISTOGRAM:
        temporality = temporalityOf(metric.getHistogram().getAggregationTemporality());
        for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
          point(point.getAttributesList(), point.getTimeUnixNano());
          count++;
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        temporality = temporalityOf(metric.getExponentialHistogram().getAggregationTemporality());
        for (ExponentialHistogramDataPoint point :
            metric.getExponentialHistogram().getDataPointsList()) {
          point(point.getAttributesList(), point.getTimeUnixNano());
          count++;
        }
        break;
      case SUMMARY:
        for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
          point(point.getAttributesList(), point.getTimeUnixNano());
          count++;
        }
        break;
      default:
        break;
    }
    points += count;
    return count;
  }

  private void point(List<KeyValue> attributes, long timeNanos) {
    if (series.size() < MAX_SERIES) {
      series.add(ViewJson.attributeSetKey(attributes).hashCode());
    }
    firstNanos = Math.min(firstNanos, timeNanos);
    lastNanos = Math.max(lastNanos, timeNanos);
  }

  static String temporalityOf(AggregationTemporality temporality) {
    switch (temporality) {
      case AGGREGATION_TEMPORALITY_DELTA:
        return "delta";
      case AGGREGATION_TEMPORALITY_CUMULATIVE:
        return "cumulative";
      default:
        return "";
    }
  }

  Row row() {
    return new Row(this);
  }

  /** A copy for the metric list. Immutable. */
  static final class Row {
    final int id;
    final String service;
    final String scope;
    final String name;
    final String description;
    final String unit;
    final String type;
    final String temporality;
    final boolean monotonic;
    final long points;
    final int series;
    final long firstNanos;
    final long lastNanos;

    Row(MetricSummary metric) {
      this.id = metric.id;
      this.service = metric.service;
      this.scope = metric.scope;
      this.name = metric.name;
      this.description = metric.description;
      this.unit = metric.unit;
      this.type = metric.type;
      this.temporality = metric.temporality;
      this.monotonic = metric.monotonic;
      this.points = metric.points;
      this.series = metric.series.size();
      this.firstNanos = metric.firstNanos;
      this.lastNanos = metric.lastNanos;
    }
  }
}
