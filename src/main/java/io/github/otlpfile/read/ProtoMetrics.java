package io.github.otlpfile.read;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Metrics from {@code opentelemetry-proto} messages, for one conversion of {@link ProtoToSdk},
 * whose class comment says how odd content maps. Data and points come from the SDK's public
 * factories, except long and explicit-bucket histogram points ({@link ReadLongPointData}, {@link
 * ReadHistogramPointData}), whose factories drop exemplars.
 *
 * <p>An instance is confined to the thread of its conversion.
 */
final class ProtoMetrics {
  private final SpanContexts contexts = new SpanContexts(0);
  private final ProtoAttributes pointAttributes = new ProtoAttributes();
  private final ProtoAttributes exemplarAttributes = new ProtoAttributes();

  /** The metric, or {@code null} when it has no data. */
  MetricData metric(Resource resource, InstrumentationScopeInfo scope, Metric metric) {
    MetricDataType type;
    Data<?> data;
    switch (metric.getDataCase()) {
      case GAUGE:
        {
          List<NumberDataPoint> points = metric.getGauge().getDataPointsList();
          if (isLong(points)) {
            type = MetricDataType.LONG_GAUGE;
            data = GaugeData.createLongGaugeData(longPoints(points));
          } else {
            type = MetricDataType.DOUBLE_GAUGE;
            data = GaugeData.createDoubleGaugeData(doublePoints(points));
          }
          break;
        }
      case SUM:
        {
          Sum sum = metric.getSum();
          List<NumberDataPoint> points = sum.getDataPointsList();
          AggregationTemporality temporality = temporality(sum.getAggregationTemporalityValue());
          if (isLong(points)) {
            type = MetricDataType.LONG_SUM;
            data = SumData.createLongSumData(sum.getIsMonotonic(), temporality, longPoints(points));
          } else {
            type = MetricDataType.DOUBLE_SUM;
            data =
                SumData.createDoubleSumData(
                    sum.getIsMonotonic(), temporality, doublePoints(points));
          }
          break;
        }
      case HISTOGRAM:
        {
          Histogram histogram = metric.getHistogram();
          type = MetricDataType.HISTOGRAM;
          data =
              HistogramData.create(
                  temporality(histogram.getAggregationTemporalityValue()),
                  histogramPoints(histogram.getDataPointsList()));
          break;
        }
      case EXPONENTIAL_HISTOGRAM:
        {
          ExponentialHistogram histogram = metric.getExponentialHistogram();
          type = MetricDataType.EXPONENTIAL_HISTOGRAM;
          data =
              ExponentialHistogramData.create(
                  temporality(histogram.getAggregationTemporalityValue()),
                  exponentialPoints(histogram.getDataPointsList()));
          break;
        }
      case SUMMARY:
        type = MetricDataType.SUMMARY;
        data = SummaryData.create(summaryPoints(metric.getSummary().getDataPointsList()));
        break;
      default:
        // DATA_NOT_SET: MetricData has no type for "nothing".
        return null;
    }
    return new ReadMetricData(
        resource, scope, metric.getName(), metric.getDescription(), metric.getUnit(), type, data);
  }

  private static boolean isLong(List<NumberDataPoint> points) {
    boolean anyInt = false;
    for (int i = 0, n = points.size(); i < n; i++) {
      switch (points.get(i).getValueCase()) {
        case AS_DOUBLE:
          return false;
        case AS_INT:
          anyInt = true;
          break;
        default:
          break;
      }
    }
    return anyInt;
  }

  private static AggregationTemporality temporality(int number) {
    return number
            == io.opentelemetry.proto.metrics.v1.AggregationTemporality
                .AGGREGATION_TEMPORALITY_DELTA_VALUE
        ? AggregationTemporality.DELTA
        : AggregationTemporality.CUMULATIVE;
  }

  private List<LongPointData> longPoints(List<NumberDataPoint> list) {
    int n = list.size();
    List<LongPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NumberDataPoint p = list.get(i);
      points.add(
          new ReadLongPointData(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              pointAttributes.read(p.getAttributesList()),
              p.getAsInt(),
              longExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<DoublePointData> doublePoints(List<NumberDataPoint> list) {
    int n = list.size();
    List<DoublePointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NumberDataPoint p = list.get(i);
      double value =
          p.getValueCase() == NumberDataPoint.ValueCase.AS_INT
              ? (double) p.getAsInt()
              : p.getAsDouble();
      points.add(
          DoublePointData.create(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              pointAttributes.read(p.getAttributesList()),
              value,
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<HistogramPointData> histogramPoints(List<HistogramDataPoint> list) {
    int n = list.size();
    List<HistogramPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      HistogramDataPoint p = list.get(i);
      // Repeated fields of a built or parsed message are immutable, so the lists are shared.
      points.add(
          new ReadHistogramPointData(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              pointAttributes.read(p.getAttributesList()),
              p.getSum(),
              p.getCount(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              p.getExplicitBoundsList(),
              p.getBucketCountsList(),
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private List<ExponentialHistogramPointData> exponentialPoints(
      List<ExponentialHistogramDataPoint> list) {
    int n = list.size();
    List<ExponentialHistogramPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ExponentialHistogramDataPoint p = list.get(i);
      int scale = p.getScale();
      points.add(
          ExponentialHistogramPointData.create(
              scale,
              p.getSum(),
              p.getZeroCount(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              buckets(scale, p.getPositive()),
              buckets(scale, p.getNegative()),
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              pointAttributes.read(p.getAttributesList()),
              doubleExemplars(p.getExemplarsList())));
    }
    return Collections.unmodifiableList(points);
  }

  private static ExponentialHistogramBuckets buckets(
      int scale, ExponentialHistogramDataPoint.Buckets buckets) {
    return ExponentialHistogramBuckets.create(
        scale, buckets.getOffset(), buckets.getBucketCountsList());
  }

  private List<SummaryPointData> summaryPoints(List<SummaryDataPoint> list) {
    int n = list.size();
    List<SummaryPointData> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SummaryDataPoint p = list.get(i);
      List<SummaryDataPoint.ValueAtQuantile> quantiles = p.getQuantileValuesList();
      List<ValueAtQuantile> values = new ArrayList<>(quantiles.size());
      for (SummaryDataPoint.ValueAtQuantile q : quantiles) {
        values.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
      }
      points.add(
          SummaryPointData.create(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              pointAttributes.read(p.getAttributesList()),
              p.getCount(),
              p.getSum(),
              Collections.unmodifiableList(values)));
    }
    return Collections.unmodifiableList(points);
  }

  private List<DoubleExemplarData> doubleExemplars(List<Exemplar> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<DoubleExemplarData> exemplars = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Exemplar e = list.get(i);
      double value =
          e.getValueCase() == Exemplar.ValueCase.AS_INT ? (double) e.getAsInt() : e.getAsDouble();
      exemplars.add(
          DoubleExemplarData.create(
              exemplarAttributes.read(e.getFilteredAttributesList()),
              e.getTimeUnixNano(),
              contexts.sampled(e.getTraceId(), e.getSpanId()),
              value));
    }
    return Collections.unmodifiableList(exemplars);
  }

  private List<LongExemplarData> longExemplars(List<Exemplar> list) {
    int n = list.size();
    if (n == 0) {
      return Collections.emptyList();
    }
    List<LongExemplarData> exemplars = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Exemplar e = list.get(i);
      long value =
          e.getValueCase() == Exemplar.ValueCase.AS_DOUBLE ? (long) e.getAsDouble() : e.getAsInt();
      exemplars.add(
          LongExemplarData.create(
              exemplarAttributes.read(e.getFilteredAttributesList()),
              e.getTimeUnixNano(),
              contexts.sampled(e.getTraceId(), e.getSpanId()),
              value));
    }
    return Collections.unmodifiableList(exemplars);
  }
}
