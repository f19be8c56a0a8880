package io.github.otlpfile.internal.forward;

import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Deep copies of metric batches. Under {@code MemoryMode.REUSABLE_DATA} the SDK refills the same
 * point objects and lists at the next collection, so a batch forwarded after {@code export()} has
 * returned must be copied inside it. Everything that can be reused is copied: the collection, point
 * lists, points, bucket and quantile lists, exemplar lists. Resources, scopes, attributes and
 * exemplars are immutable and shared. Points that carry exemplars are rebuilt with the SDK's
 * internal immutable data classes, because the public factories of long points and histogram points
 * drop exemplars.
 *
 * <p>Stateless and thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class MetricDataSnapshot {
  private MetricDataSnapshot() {}

  /**
   * Returns an immutable copy of {@code metrics}.
   *
   * @throws IllegalArgumentException for a metric type this version does not know
   */
  public static Collection<MetricData> copy(Collection<MetricData> metrics) {
    List<MetricData> copy = new ArrayList<>(metrics.size());
    for (MetricData metric : metrics) {
      copy.add(copy(metric));
    }
    return Collections.unmodifiableList(copy);
  }

  static MetricData copy(MetricData m) {
    switch (m.getType()) {
      case LONG_GAUGE:
        return ImmutableMetricData.createLongGauge(
            m.getResource(),
            m.getInstrumentationScopeInfo(),
            m.getName(),
            m.getDescription(),
            m.getUnit(),
            GaugeData.createLongGaugeData(copyLongPoints(m.getLongGaugeData().getPoints())));
      case DOUBLE_GAUGE:
        return ImmutableMetricData.createDoubleGauge(
            m.getResource(),
            m.getInstrumentationScopeInfo(),
            m.getName(),
            m.getDescription(),
            m.getUnit(),
            GaugeData.createDoubleGaugeData(copyDoublePoints(m.getDoubleGaugeData().getPoints())));
      case LONG_SUM:
        {
          SumData<LongPointData> sum = m.getLongSumData();
          return ImmutableMetricData.createLongSum(
              m.getResource(),
              m.getInstrumentationScopeInfo(),
              m.getName(),
              m.getDescription(),
              m.getUnit(),
              SumData.createLongSumData(
                  sum.isMonotonic(),
                  sum.getAggregationTemporality(),
                  copyLongPoints(sum.getPoints())));
        }
      case DOUBLE_SUM:
        {
          SumData<DoublePointData> sum = m.getDoubleSumData();
          return ImmutableMetricData.createDoubleSum(
              m.getResource(),
              m.getInstrumentationScopeInfo(),
              m.getName(),
              m.getDescription(),
              m.getUnit(),
              SumData.createDoubleSumData(
                  sum.isMonotonic(),
                  sum.getAggregationTemporality(),
                  copyDoublePoints(sum.getPoints())));
        }
      case HISTOGRAM:
        {
          HistogramData histogram = m.getHistogramData();
          List<HistogramPointData> points = new ArrayList<>(histogram.getPoints().size());
          for (HistogramPointData p : histogram.getPoints()) {
            points.add(
                ImmutableHistogramPointData.create(
                    p.getStartEpochNanos(),
                    p.getEpochNanos(),
                    p.getAttributes(),
                    p.getSum(),
                    p.hasMin(),
                    p.getMin(),
                    p.hasMax(),
                    p.getMax(),
                    listCopy(p.getBoundaries()),
                    listCopy(p.getCounts()),
                    listCopy(p.getExemplars())));
          }
          return ImmutableMetricData.createDoubleHistogram(
              m.getResource(),
              m.getInstrumentationScopeInfo(),
              m.getName(),
              m.getDescription(),
              m.getUnit(),
              HistogramData.create(histogram.getAggregationTemporality(), points));
        }
      case EXPONENTIAL_HISTOGRAM:
        {
          ExponentialHistogramData histogram = m.getExponentialHistogramData();
          List<ExponentialHistogramPointData> points =
              new ArrayList<>(histogram.getPoints().size());
          for (ExponentialHistogramPointData p : histogram.getPoints()) {
            points.add(
                ExponentialHistogramPointData.create(
                    p.getScale(),
                    p.getSum(),
                    p.getZeroCount(),
                    p.hasMin(),
                    p.getMin(),
                    p.hasMax(),
                    p.getMax(),
                    copyBuckets(p.getPositiveBuckets()),
                    copyBuckets(p.getNegativeBuckets()),
                    p.getStartEpochNanos(),
                    p.getEpochNanos(),
                    p.getAttributes(),
                    listCopy(p.getExemplars())));
          }
          return ImmutableMetricData.createExponentialHistogram(
              m.getResource(),
              m.getInstrumentationScopeInfo(),
              m.getName(),
              m.getDescription(),
              m.getUnit(),
              ExponentialHistogramData.create(histogram.getAggregationTemporality(), points));
        }
      case SUMMARY:
        {
          List<SummaryPointData> points = new ArrayList<>();
          for (SummaryPointData p : m.getSummaryData().getPoints()) {
            List<ValueAtQuantile> values = new ArrayList<>(p.getValues().size());
            for (ValueAtQuantile v : p.getValues()) {
              values.add(ValueAtQuantile.create(v.getQuantile(), v.getValue()));
            }
            points.add(
                SummaryPointData.create(
                    p.getStartEpochNanos(),
                    p.getEpochNanos(),
                    p.getAttributes(),
                    p.getCount(),
                    p.getSum(),
                    values));
          }
          return ImmutableMetricData.createDoubleSummary(
              m.getResource(),
              m.getInstrumentationScopeInfo(),
              m.getName(),
              m.getDescription(),
              m.getUnit(),
              SummaryData.create(points));
        }
    }
    throw new IllegalArgumentException("Unknown metric type " + m.getType());
  }

  private static List<LongPointData> copyLongPoints(Collection<LongPointData> points) {
    List<LongPointData> copy = new ArrayList<>(points.size());
    for (LongPointData p : points) {
      copy.add(
          ImmutableLongPointData.create(
              p.getStartEpochNanos(),
              p.getEpochNanos(),
              p.getAttributes(),
              p.getValue(),
              listCopy(p.getExemplars())));
    }
    return copy;
  }

  private static List<DoublePointData> copyDoublePoints(Collection<DoublePointData> points) {
    List<DoublePointData> copy = new ArrayList<>(points.size());
    for (DoublePointData p : points) {
      copy.add(
          DoublePointData.create(
              p.getStartEpochNanos(),
              p.getEpochNanos(),
              p.getAttributes(),
              p.getValue(),
              listCopy(p.getExemplars())));
    }
    return copy;
  }

  private static ExponentialHistogramBuckets copyBuckets(ExponentialHistogramBuckets buckets) {
    return ExponentialHistogramBuckets.create(
        buckets.getScale(), buckets.getOffset(), listCopy(buckets.getBucketCounts()));
  }

  private static <E> List<E> listCopy(List<? extends E> list) {
    return Collections.unmodifiableList(new ArrayList<E>(list));
  }
}
