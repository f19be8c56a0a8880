package io.github.otlpfile.read;

import com.google.protobuf.Descriptors.EnumDescriptor;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.IOException;

/**
 * Decodes the OTLP/JSON metrics messages, from {@code ResourceMetrics} down to data points and
 * exemplars; the same conventions as {@link OtlpJsonCommon}.
 */
final class OtlpJsonMetrics {
  private static final EnumDescriptor TEMPORALITY = AggregationTemporality.getDescriptor();

  private OtlpJsonMetrics() {}

  static ResourceMetrics resourceMetrics(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ResourceMetrics.Builder resourceMetrics = ResourceMetrics.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "resource":
          resourceMetrics.setResource(OtlpJsonCommon.resource(in));
          break;
        case "scopeMetrics":
        case "scope_metrics":
          in.startArray();
          while (in.nextElement()) {
            resourceMetrics.addScopeMetrics(scopeMetrics(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          resourceMetrics.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return resourceMetrics.build();
  }

  private static ScopeMetrics scopeMetrics(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ScopeMetrics.Builder scopeMetrics = ScopeMetrics.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "scope":
          scopeMetrics.setScope(OtlpJsonCommon.scope(in));
          break;
        case "metrics":
          in.startArray();
          while (in.nextElement()) {
            scopeMetrics.addMetrics(metric(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          scopeMetrics.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return scopeMetrics.build();
  }

  private static Metric metric(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Metric.Builder metric = Metric.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "name":
          metric.setName(in.string());
          break;
        case "description":
          metric.setDescription(in.string());
          break;
        case "unit":
          metric.setUnit(in.string());
          break;
        case "gauge":
          oneData(in, metric, Metric.DataCase.GAUGE);
          metric.setGauge(gauge(in));
          break;
        case "sum":
          oneData(in, metric, Metric.DataCase.SUM);
          metric.setSum(sum(in));
          break;
        case "histogram":
          oneData(in, metric, Metric.DataCase.HISTOGRAM);
          metric.setHistogram(histogram(in));
          break;
        case "exponentialHistogram":
        case "exponential_histogram":
          oneData(in, metric, Metric.DataCase.EXPONENTIAL_HISTOGRAM);
          metric.setExponentialHistogram(exponentialHistogram(in));
          break;
        case "summary":
          oneData(in, metric, Metric.DataCase.SUMMARY);
          metric.setSummary(summary(in));
          break;
        case "metadata":
          in.startArray();
          while (in.nextElement()) {
            metric.addMetadata(OtlpJsonCommon.keyValue(in));
          }
          break;
        default:
          in.skipValue();
      }
    }
    return metric.build();
  }

  private static void oneData(OtlpJsonInput in, Metric.Builder metric, Metric.DataCase next)
      throws MalformedRecordException {
    Metric.DataCase current = metric.getDataCase();
    if (current != Metric.DataCase.DATA_NOT_SET && current != next) {
      throw in.fail(
          "a metric holds one kind of data, but this one has "
              + OtlpJsonCommon.jsonName(Metric.getDescriptor(), current.getNumber())
              + " and "
              + OtlpJsonCommon.jsonName(Metric.getDescriptor(), next.getNumber()));
    }
  }

  private static Gauge gauge(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Gauge.Builder gauge = Gauge.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "dataPoints":
        case "data_points":
          in.startArray();
          while (in.nextElement()) {
            gauge.addDataPoints(numberDataPoint(in));
          }
          break;
        default:
          in.skipValue();
      }
    }
    return gauge.build();
  }

  private static Sum sum(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Sum.Builder sum = Sum.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "dataPoints":
        case "data_points":
          in.startArray();
          while (in.nextElement()) {
            sum.addDataPoints(numberDataPoint(in));
          }
          break;
        case "aggregationTemporality":
        case "aggregation_temporality":
          sum.setAggregationTemporalityValue(in.enumNumber(TEMPORALITY));
          break;
        case "isMonotonic":
        case "is_monotonic":
          sum.setIsMonotonic(in.bool());
          break;
        default:
          in.skipValue();
      }
    }
    return sum.build();
  }

  private static Histogram histogram(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    Histogram.Builder histogram = Histogram.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "dataPoints":
        case "data_points":
          in.startArray();
          while (in.nextElement()) {
            histogram.addDataPoints(histogramDataPoint(in));
          }
          break;
        case "aggregationTemporality":
        case "aggregation_temporality":
          histogram.setAggregationTemporalityValue(in.enumNumber(TEMPORALITY));
          break;
        default:
          in.skipValue();
      }
    }
    return histogram.build();
  }

  private static ExponentialHistogram exponentialHistogram(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ExponentialHistogram.Builder histogram = ExponentialHistogram.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "dataPoints":
        case "data_points":
          in.startArray();
          while (in.nextElement()) {
            histogram.addDataPoints(exponentialHistogramDataPoint(in));
          }
          break;
        case "aggregationTemporality":
        case "aggregation_temporality":
          histogram.setAggregationTemporalityValue(in.enumNumber(TEMPORALITY));
          break;
        default:
          in.skipValue();
      }
    }
    return histogram.build();
  }

  private static Summary summary(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Summary.Builder summary = Summary.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "dataPoints":
        case "data_points":
          in.startArray();
          while (in.nextElement()) {
            summary.addDataPoints(summaryDataPoint(in));
          }
          break;
        default:
          in.skipValue();
      }
    }
    return summary.build();
  }

  private static NumberDataPoint numberDataPoint(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    NumberDataPoint.Builder point = NumberDataPoint.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            point.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          point.setStartTimeUnixNano(in.uint64());
          break;
        case "timeUnixNano":
        case "time_unix_nano":
          point.setTimeUnixNano(in.uint64());
          break;
        case "asDouble":
        case "as_double":
          oneNumber(in, point.getValueCase() == NumberDataPoint.ValueCase.AS_INT);
          point.setAsDouble(in.dbl());
          break;
        case "asInt":
        case "as_int":
          oneNumber(in, point.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE);
          point.setAsInt(in.int64());
          break;
        case "exemplars":
          in.startArray();
          while (in.nextElement()) {
            point.addExemplars(exemplar(in));
          }
          break;
        case "flags":
          point.setFlags(in.uint32());
          break;
        default:
          in.skipValue();
      }
    }
    return point.build();
  }

  private static void oneNumber(OtlpJsonInput in, boolean otherValueSet)
      throws MalformedRecordException {
    if (otherValueSet) {
      throw in.fail("a point holds one value, but this one has both asDouble and asInt");
    }
  }

  private static HistogramDataPoint histogramDataPoint(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            point.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          point.setStartTimeUnixNano(in.uint64());
          break;
        case "timeUnixNano":
        case "time_unix_nano":
          point.setTimeUnixNano(in.uint64());
          break;
        case "count":
          point.setCount(in.uint64());
          break;
        case "sum":
          point.setSum(in.dbl());
          break;
        case "bucketCounts":
        case "bucket_counts":
          in.startArray();
          while (in.nextElement()) {
            point.addBucketCounts(in.uint64());
          }
          break;
        case "explicitBounds":
        case "explicit_bounds":
          in.startArray();
          while (in.nextElement()) {
            point.addExplicitBounds(in.dbl());
          }
          break;
        case "exemplars":
          in.startArray();
          while (in.nextElement()) {
            point.addExemplars(exemplar(in));
          }
          break;
        case "flags":
          point.setFlags(in.uint32());
          break;
        case "min":
          point.setMin(in.dbl());
          break;
        case "max":
          point.setMax(in.dbl());
          break;
        default:
          in.skipValue();
      }
    }
    return point.build();
  }

  private static ExponentialHistogramDataPoint exponentialHistogramDataPoint(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ExponentialHistogramDataPoint.Builder point = ExponentialHistogramDataPoint.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            point.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          point.setStartTimeUnixNano(in.uint64());
          break;
        case "timeUnixNano":
        case "time_unix_nano":
          point.setTimeUnixNano(in.uint64());
          break;
        case "count":
          point.setCount(in.uint64());
          break;
        case "sum":
          point.setSum(in.dbl());
          break;
        case "scale":
          point.setScale(in.int32());
          break;
        case "zeroCount":
        case "zero_count":
          point.setZeroCount(in.uint64());
          break;
        case "positive":
          point.setPositive(buckets(in));
          break;
        case "negative":
          point.setNegative(buckets(in));
          break;
        case "flags":
          point.setFlags(in.uint32());
          break;
        case "exemplars":
          in.startArray();
          while (in.nextElement()) {
            point.addExemplars(exemplar(in));
          }
          break;
        case "min":
          point.setMin(in.dbl());
          break;
        case "max":
          point.setMax(in.dbl());
          break;
        case "zeroThreshold":
        case "zero_threshold":
          point.setZeroThreshold(in.dbl());
          break;
        default:
          in.skipValue();
      }
    }
    return point.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ExponentialHistogramDataPoint.Buckets.Builder buckets =
        ExponentialHistogramDataPoint.Buckets.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "offset":
          buckets.setOffset(in.int32());
          break;
        case "bucketCounts":
        case "bucket_counts":
          in.startArray();
          while (in.nextElement()) {
            buckets.addBucketCounts(in.uint64());
          }
          break;
        default:
          in.skipValue();
      }
    }
    return buckets.build();
  }

  private static SummaryDataPoint summaryDataPoint(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    SummaryDataPoint.Builder point = SummaryDataPoint.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            point.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          point.setStartTimeUnixNano(in.uint64());
          break;
        case "timeUnixNano":
        case "time_unix_nano":
          point.setTimeUnixNano(in.uint64());
          break;
        case "count":
          point.setCount(in.uint64());
          break;
        case "sum":
          point.setSum(in.dbl());
          break;
        case "quantileValues":
        case "quantile_values":
          in.startArray();
          while (in.nextElement()) {
            point.addQuantileValues(valueAtQuantile(in));
          }
          break;
        case "flags":
          point.setFlags(in.uint32());
          break;
        default:
          in.skipValue();
      }
    }
    return point.build();
  }

  private static SummaryDataPoint.ValueAtQuantile valueAtQuantile(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    SummaryDataPoint.ValueAtQuantile.Builder value = SummaryDataPoint.ValueAtQuantile.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "quantile":
          value.setQuantile(in.dbl());
          break;
        case "value":
          value.setValue(in.dbl());
          break;
        default:
          in.skipValue();
      }
    }
    return value.build();
  }

  private static Exemplar exemplar(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Exemplar.Builder exemplar = Exemplar.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "filteredAttributes":
        case "filtered_attributes":
          in.startArray();
          while (in.nextElement()) {
            exemplar.addFilteredAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "timeUnixNano":
        case "time_unix_nano":
          exemplar.setTimeUnixNano(in.uint64());
          break;
        case "asDouble":
        case "as_double":
          oneNumber(in, exemplar.getValueCase() == Exemplar.ValueCase.AS_INT);
          exemplar.setAsDouble(in.dbl());
          break;
        case "asInt":
        case "as_int":
          oneNumber(in, exemplar.getValueCase() == Exemplar.ValueCase.AS_DOUBLE);
          exemplar.setAsInt(in.int64());
          break;
        case "spanId":
        case "span_id":
          exemplar.setSpanId(in.spanId());
          break;
        case "traceId":
        case "trace_id":
          exemplar.setTraceId(in.traceId());
          break;
        default:
          in.skipValue();
      }
    }
    return exemplar.build();
  }
}
